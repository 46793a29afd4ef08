# jaxify: skip-file
def trap_calls(module):
    return [("record", (1, 2.0), {}), ("record", (2, 6.0), {}), ("normalised_counts", (), {})]

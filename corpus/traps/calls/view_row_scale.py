# jaxify: skip-file
def trap_calls(module):
    return [("results", (4,), {}), ("column_view", (3,), {}), ("diagonal", (3,), {})]

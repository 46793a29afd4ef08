# jaxify: skip-file
def trap_calls(module):
    return [
        ("totals", ([[1.0, 2.0], [3.0, 4.0]],), {}),
        ("describe", ([1.0, 2.0],), {}),
    ]

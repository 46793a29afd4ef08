# jaxify: skip-file
def trap_calls(module):
    return [
        ("precise_sum", ([1e16, 1.0, -1e16, 1.0],), {}),
        ("half_mean", ([0.1, 0.2, 0.3, 1000.0],), {}),
        ("complex_roots", (4,), {}),
    ]

# jaxify: skip-file
def trap_calls(module):
    return [
        ("fit_line", ([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]), {}),
        ("derivative_at", ([1.0, 2.0, 3.0], [0.0, 1.0]), {}),
        ("roots_of", ([1.0, -3.0, 2.0],), {}),
    ]

# jaxify: skip-file
def trap_calls(module):
    return [
        ("solve_or_pinv", ([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]), {}),
        ("solve_or_pinv", ([[2.0, 0.0], [0.0, 4.0]], [1.0, 2.0]), {}),
        ("safe_cholesky", ([[1.0, 2.0], [2.0, 1.0]],), {}),
        ("ratio", ([1.0, 2.0], [0.0, 1.0]), {}),
    ]

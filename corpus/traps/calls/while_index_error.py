# jaxify: skip-file
def trap_calls(module):
    return [
        ("bucket", ([1.0, 2.0, 3.0], 2.5), {}),
        ("bucket", ([1.0, 2.0, 3.0], 9.0), {}),
        ("first_above", ([1.0, 2.0, 3.0], 1.5), {}),
        ("safe_first_above", ([1.0, 2.0, 3.0], 9.0), {}),
    ]

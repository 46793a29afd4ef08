# jaxify: skip-file
def trap_calls(module):
    readings = [1.0, float("nan"), 3.0, -2.0, 50.0]
    return [
        ("clean_mean", (list(readings),), {}),
        ("drop_outliers", (list(readings), 10.0), {}),
        ("filled", (list(readings),), {}),
    ]

# jaxify: skip-file
def trap_calls(module):
    config = {"shape": (2, 3), "factors": [1, 2, 5]}
    return [
        ("grid_size", (dict(config),), {}),
        ("scale_factors", (dict(config),), {}),
        ("make_grid", ({"shape": (2, 3), "factors": [1, 2, 5]},), {}),
    ]

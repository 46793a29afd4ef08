# jaxify: skip-file
def trap_calls(module):
    return [("label", ([1.0, 2.0],), {}), ("caption", ([1.0, 2.5],), {}), ("keyed", ([1.0, 2.5],), {})]

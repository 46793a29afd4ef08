# jaxify: skip-file
def trap_calls(module):
    a = module.make([1.0, 2.0000000001])
    b = module.make([1.0, 2.0])
    return [("matrices_equal", (a, b), {}), ("residual", (a, b), {})]

# jaxify: skip-file
def trap_calls(module):
    return [("mask_negative", ([1.0, -2.0, 3.0],), {}), ("masked_total", ([1.0, 0.0, 3.0],), {})]

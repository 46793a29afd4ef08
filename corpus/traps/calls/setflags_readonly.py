# jaxify: skip-file
def trap_calls(module):
    return [("frozen", (3,), {}), ("byteswapped", ([1.0, 2.0],), {})]

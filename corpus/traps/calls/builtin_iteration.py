# jaxify: skip-file
def trap_calls(module):
    return [("total", ([1.0, 2.0],), {}), ("ranked", ([-3.0, 1.0, 2.0],), {}), ("biggest", ([-3.0, 1.0],), {})]

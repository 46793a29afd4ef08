# jaxify: skip-file
def trap_calls(module):
    return [
        ("softmax_weight", ([1.0, 2.0, 3.0],), {}),
        ("path_length", ([[0.0, 0.0], [3.0, 4.0], [3.0, 8.0]],), {}),
        ("log_sum", ([1.0, 0.0, 2.0],), {}),
    ]

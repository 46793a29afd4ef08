# jaxify: skip-file
import numpy as np


def trap_calls(module):
    return [
        ("clip_rows", (np.array([[1.0, 5.0], [7.0, 2.0]]), 4.0), {}),
        ("clip_copy", ([1.0, 9.0, 3.0], 4.0), {}),
    ]

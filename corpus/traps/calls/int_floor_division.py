# jaxify: skip-file
import numpy as np


def trap_calls(module):
    return [
        ("shares", ([10, -7, 5], [3, 0, 0]), {}),
        ("pages", (np.array([10, 7]), np.array([3, 0])), {}),
        ("split_evenly", ([10, 7], np.array([4, 0])), {}),
        ("halves", ([5, -3, 8],), {}),
    ]

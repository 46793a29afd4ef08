# jaxify: skip-file
import numpy as np


def trap_calls(module):
    return [("buffers", (3,), {}), ("layers", (2,), {}), ("stacked", (np.array([1.0, 2.0]),), {})]

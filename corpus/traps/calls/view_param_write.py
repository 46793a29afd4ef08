# jaxify: skip-file
import numpy as np


def trap_calls(module):
    return [
        ("bump_first_column", (np.arange(6.0).reshape(3, 2),), {}),
        ("transpose_write", (np.arange(6.0).reshape(3, 2),), {}),
        ("reshape_write", (np.arange(6.0).reshape(3, 2),), {}),
    ]

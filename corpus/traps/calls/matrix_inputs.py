# jaxify: skip-file
import numpy as np


def trap_calls(module):
    a = np.matrix([[1.0, 2.0], [3.0, 4.0]])
    return [
        ("product", (a.copy(), a.copy()), {}),
        ("row_totals", (a.copy(),), {}),
        ("gram", (a.copy(),), {}),
    ]

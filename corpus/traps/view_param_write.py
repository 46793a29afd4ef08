"""Functions that write their array parameter through a view: the caller sees the change."""
import numpy as np


def bump_first_column(a):
    col = a[:, 0]
    col += 1.0
    return a


def transpose_write(a):
    t = a.T
    t[0] = -1.0
    return np.sum(a)


def reshape_write(a):
    flat = a.reshape(-1)
    for i in range(flat.shape[0]):
        flat[i] = flat[i] * 2.0
    return flat

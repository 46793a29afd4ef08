"""In-place row operations: normalising a caller's matrix row by row, and a running maximum."""
import numpy as np


def normalize_rows(M):
    for i in range(M.shape[0]):
        s = M[i].sum()
        if s != 0:
            M[i] /= s


def running_max(x):
    out = x.copy()
    for i in range(1, len(out)):
        if out[i] < out[i - 1]:
            out[i] = out[i - 1]
    return out

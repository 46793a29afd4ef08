"""Sorting in place: NumPy's `.sort()` changes the array it is called on."""
import numpy as np


def median_of_copy(x):
    buf = x.copy()
    buf.sort()
    return buf[len(buf) // 2], buf


def sort_argument(x):
    x.sort()
    return x[0]


def partitioned(x, k):
    buf = np.array(x, dtype=float)
    buf.partition(k)
    return buf[k]

"""Ring buffers and running statistics kept in preallocated arrays."""
import numpy as np


def moving_sum(x, width):
    out = np.zeros(x.shape[0] - width + 1)
    window = np.zeros(width)
    np.copyto(window, x[:width])
    out[0] = window.sum()
    for i in range(1, out.shape[0]):
        window[(i - 1) % width] = x[i + width - 1]
        out[i] = window.sum()
    return out


def sorted_tail(x, k):
    buf = x.copy()
    buf.sort()
    tail = np.zeros(k)
    tail[:] = buf[-k:]
    return tail


def integer_levels(x, step):
    levels = np.zeros(x.shape[0], dtype=np.int64)
    levels += (x / step).astype(np.int64)
    levels //= 2
    levels[0] = 7.9
    return levels

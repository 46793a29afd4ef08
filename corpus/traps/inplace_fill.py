"""`.fill()`, `.put()`, `.resize()` and `.itemset()`-style in-place methods."""
import numpy as np


def constant(n, value):
    out = np.empty(n)
    out.fill(value)
    return out


def scatter(x, idx, value):
    buf = np.asarray(x, dtype=float).copy()
    buf.put(idx, value)
    return buf


def reset(x):
    x.fill(0.0)
    return np.sum(x)


def grown(n):
    buf = np.arange(float(n))
    buf.resize(n + 2, refcheck=False)
    return buf

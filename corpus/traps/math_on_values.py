"""`math` functions on values NumPy computed: they need Python floats."""
import math

import numpy as np


def softmax_weight(x):
    x = np.asarray(x, dtype=float)
    return math.exp(np.max(x)) / np.sum(np.exp(x))


def path_length(points):
    points = np.asarray(points, dtype=float)
    total = 0.0
    for i in range(points.shape[0] - 1):
        d = points[i + 1] - points[i]
        total = total + math.hypot(d[0], d[1])
    return total


def log_sum(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = math.log(x[i]) if x[i] > 0 else -math.inf
    return out

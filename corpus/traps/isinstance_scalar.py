"""Helpers that branch on the Python type of a value NumPy computed."""
import numpy as np


def as_list(value):
    if isinstance(value, float):
        return [value]
    return list(value)


def totals(x):
    x = np.asarray(x, dtype=float)
    return as_list(np.sum(x)), as_list(np.sum(x, axis=0))


def describe(x):
    x = np.asarray(x, dtype=float)
    m = np.mean(x)
    if type(m) is np.ndarray:
        return "array"
    if np.isscalar(m):
        return "scalar"
    return "other"

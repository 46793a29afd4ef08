"""Python builtins that iterate an array element by element."""
import numpy as np


def total(x):
    x = np.asarray(x, dtype=float)
    return sum(x * 2)


def ranked(x):
    x = np.asarray(x, dtype=float)
    return sorted(np.abs(x))


def biggest(x):
    x = np.asarray(x, dtype=float)
    return max(np.square(x)), min(x)

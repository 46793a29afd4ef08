"""Searching a sorted table by stepping an index until NumPy raises IndexError."""
import numpy as np


def bucket(edges, t):
    edges = np.asarray(edges, dtype=float)
    i = 0
    try:
        while t > edges[i]:
            i += 1
    except IndexError:
        i = -1
    return i


def first_above(values, t):
    values = np.asarray(values, dtype=float)
    i = 0
    while values[i] <= t:
        i += 1
    return i


def safe_first_above(values, t):
    try:
        return first_above(values, t)
    except IndexError:
        return None

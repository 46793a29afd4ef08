"""A results table whose last row is taken as a view first and scaled in place later."""
import numpy as np


def results(rows):
    h = np.zeros((rows, 3))
    last = h[-1]
    for i in range(rows):
        h[i] = i + 1.0
    last *= 2
    return h


def column_view(n):
    table = np.ones((n, 2))
    first = table[:, 0]
    first[1:] = 5.0
    return table


def diagonal(n):
    m = np.zeros((n, n))
    flat = m.ravel()
    flat[:: n + 1] = 1.0
    return m

"""Recurrences: an orbit of the logistic map, and Chebyshev polynomials by their three-term rule."""
import numpy as np


def logistic_orbit(x0, r, n):
    xs = np.zeros(n)
    x = x0
    for i in range(n):
        x = r * x * (1.0 - x)
        xs[i] = x
    return xs


def chebyshev_table(x, degree):
    T = np.zeros((degree + 1, x.shape[0]))
    T[0] = 1.0
    if degree > 0:
        T[1] = x
    for k in range(2, degree + 1):
        T[k] = 2.0 * x * T[k - 1] - T[k - 2]
    return T

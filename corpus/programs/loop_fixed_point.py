"""Fixed-point iteration x <- cos(x) on a whole array, stopped by a convergence break; the number
of iterations used is returned too."""
import numpy as np


def fixed_point_cos(x0, tol, max_iter):
    x = x0.copy()
    iterations = 0
    for it in range(max_iter):
        x_new = np.cos(x)
        iterations = it + 1
        if np.max(np.abs(x_new - x)) < tol:
            x = x_new
            break
        x = x_new
    return x, iterations

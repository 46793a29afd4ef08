"""Newton's method for square roots of a whole array, iterated until the update is below a tolerance."""
import numpy as np


def newton_sqrt(a, tol, max_iter):
    x = np.where(a > 1.0, a, 1.0)
    for k in range(max_iter):
        x_new = 0.5 * (x + a / x)
        if np.max(np.abs(x_new - x)) < tol:
            return x_new
        x = x_new
    return x

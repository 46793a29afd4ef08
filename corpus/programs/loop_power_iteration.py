"""Power iteration for the dominant eigenvalue, run until the estimate settles."""
import numpy as np


def dominant_eigenvalue(A, v, tol, max_iter):
    v = v / np.linalg.norm(v)
    estimate = 0.0
    change = np.inf
    it = 0
    while change > tol and it < max_iter:
        w = A @ v
        v = w / np.linalg.norm(w)
        new_estimate = v @ A @ v
        change = np.abs(new_estimate - estimate)
        estimate = new_estimate
        it += 1
    return estimate, v, it

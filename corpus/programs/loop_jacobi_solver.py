"""Jacobi iteration for a diagonally dominant linear system, stopping at a tolerance."""
import numpy as np


def jacobi(A, b, tol, max_iter):
    x = np.zeros_like(b)
    D = np.diag(A)
    R = A - np.diagflat(D)
    for k in range(max_iter):
        x_new = (b - R @ x) / D
        if np.linalg.norm(x_new - x, ord=np.inf) < tol:
            return x_new, k + 1
        x = x_new
    return x, max_iter

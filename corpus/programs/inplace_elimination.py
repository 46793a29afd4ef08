"""Gaussian elimination without pivoting, row by row in place on a working copy."""
import numpy as np


def upper_triangular(A):
    U = A.astype(float)
    n = U.shape[0]
    for k in range(n - 1):
        for i in range(k + 1, n):
            factor = U[i, k] / U[k, k]
            U[i, k:] -= factor * U[k, k:]
            U[i, k] = 0.0
    return U


def solve_upper(U, b):
    n = U.shape[0]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - (U[i, i + 1:] * x[i + 1:]).sum()) / U[i, i]
    return x


def with_ridge(A, lam):
    B = A.astype(float)
    d = B.diagonal() + lam
    np.fill_diagonal(B, d)
    return B

"""Successive over-relaxation (Gauss-Seidel when omega = 1) for A x = b, swept until the largest
change in one sweep is below a tolerance."""
import numpy as np


def sor_solve(A, b, omega, tol, max_iter):
    n = A.shape[0]
    x = np.zeros(n)
    for sweep in range(max_iter):
        largest_change = 0.0
        for i in range(n):
            s = b[i]
            for j in range(n):
                if j != i:
                    s -= A[i, j] * x[j]
            new = (1.0 - omega) * x[i] + omega * s / A[i, i]
            change = abs(new - x[i])
            if change > largest_change:
                largest_change = change
            x[i] = new
        if largest_change < tol:
            break
    return x

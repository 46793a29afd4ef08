"""Bisection and secant root finding for x**3 + x = c, one root per entry of c."""
import numpy as np


def bisect_roots(c, lo, hi, tol, max_iter):
    roots = np.empty_like(c)
    for k in range(c.shape[0]):
        a = lo
        b = hi
        mid = 0.5 * (a + b)
        for it in range(max_iter):
            mid = 0.5 * (a + b)
            f_mid = mid**3 + mid - c[k]
            if f_mid == 0.0 or 0.5 * (b - a) < tol:
                break
            if f_mid > 0.0:
                b = mid
            else:
                a = mid
        roots[k] = mid
    return roots


def secant_roots(c, x0, x1, tol, max_iter):
    roots = np.empty_like(c)
    for k in range(c.shape[0]):
        a = x0
        b = x1
        f_a = a**3 + a - c[k]
        for it in range(max_iter):
            f_b = b**3 + b - c[k]
            if abs(f_b) < tol or f_b == f_a:
                break
            step = f_b * (b - a) / (f_b - f_a)
            a = b
            f_a = f_b
            b = b - step
        roots[k] = b
    return roots

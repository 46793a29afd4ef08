"""Exceptions as control flow: a singular matrix falls back to the pseudo-inverse."""
import numpy as np


def solve_or_pinv(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    try:
        inv = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(a)
    return inv @ b


def safe_cholesky(a):
    a = np.asarray(a, dtype=float)
    try:
        return np.linalg.cholesky(a), True
    except np.linalg.LinAlgError:
        return np.zeros_like(a), False


def ratio(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="raise", invalid="raise"):
        try:
            return a / b
        except FloatingPointError:
            return np.full_like(a, -1.0)

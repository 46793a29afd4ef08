"""Polynomial objects from numpy.polynomial: fitted, evaluated and combined."""
import numpy as np
from numpy.polynomial import Polynomial


def fit_line(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    p = Polynomial.fit(x, y, 1).convert()
    return p.coef, p(np.array([0.0, 1.0]))


def derivative_at(coefs, x):
    p = np.polynomial.Polynomial(coefs)
    return p.deriv()(np.asarray(x, dtype=float))


def roots_of(coefs):
    return np.sort(np.roots(coefs))

"""Symbolic-style objects that support arithmetic and NumPy conversion, but are no arrays."""
import numpy as np


class Expr:
    """A tiny expression value: subtracts like a number, simplifies itself in place."""

    def __init__(self, terms):
        self.terms = list(terms)

    def __sub__(self, other):
        return Expr(a - b for a, b in zip(self.terms, other.terms))

    def simplify(self):
        self.terms = [round(t, 6) for t in self.terms]

    def __array__(self, dtype=None, copy=None):
        return np.array(self.terms, dtype=dtype)


def matrices_equal(m1, m2):
    d = m1 - m2
    d.simplify()
    return np.all(np.array(d) == 0)


def residual(m1, m2):
    d = m1 - m2
    d.simplify()
    return np.sum(np.abs(np.asarray(d)))


def make(terms):
    return Expr(terms)

"""np.matrix inputs: `*` is a matrix product and reductions keep two dimensions."""
import numpy as np


def product(a, b):
    return a * b


def row_totals(a):
    return np.sum(a, axis=1)


def gram(a):
    return np.dot(a.T, a)

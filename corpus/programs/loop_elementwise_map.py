"""Element-by-element transforms written as index loops: a logistic squashing and a softplus."""
import numpy as np


def squash(x, scale):
    out = np.zeros(len(x))
    for i in range(len(x)):
        z = scale * x[i]
        out[i] = 1.0 / (1.0 + np.exp(-z))
    return out


def softplus_rows(X):
    out = np.zeros(X.shape)
    for i in range(X.shape[0]):
        out[i, :] = np.log1p(np.exp(-np.abs(X[i]))) + np.maximum(X[i], 0.0)
    return out

"""Euclidean distance matrix between two point sets, one pair at a time."""
import numpy as np


def distance_matrix(X, Y):
    n = X.shape[0]
    m = Y.shape[0]
    D = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            diff = X[i] - Y[j]
            D[i, j] = np.sqrt(np.dot(diff, diff))
    return D

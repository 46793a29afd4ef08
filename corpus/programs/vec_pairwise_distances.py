"""Pairwise Euclidean distances between two point sets, and each point's nearest neighbour."""
import numpy as np


def pairwise_distances(X, Y):
    n, m = X.shape[0], Y.shape[0]
    D = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            diff = X[i] - Y[j]
            D[i, j] = np.sqrt(np.dot(diff, diff))
    return D


def nearest_neighbour(X, Y):
    D = pairwise_distances(X, Y)
    return np.argmin(D, axis=1), np.min(D, axis=1)

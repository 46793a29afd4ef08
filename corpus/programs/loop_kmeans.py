"""k-means clustering (Lloyd's algorithm) with explicit loops over points and clusters."""
import numpy as np


def assign(points, centers):
    n = points.shape[0]
    k = centers.shape[0]
    labels = np.zeros(n, dtype=np.int64)
    for i in range(n):
        best = 0
        best_distance = np.inf
        for j in range(k):
            d = np.sum((points[i] - centers[j]) ** 2)
            if d < best_distance:
                best_distance = d
                best = j
        labels[i] = best
    return labels


def kmeans(points, centers, n_iter):
    centers = centers.copy()
    for it in range(n_iter):
        labels = assign(points, centers)
        for j in range(centers.shape[0]):
            members = points[labels == j]
            if len(members) > 0:
                centers[j] = members.mean(axis=0)
    return centers, assign(points, centers)

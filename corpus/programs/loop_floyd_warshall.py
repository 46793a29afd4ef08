"""All-pairs shortest paths by Floyd-Warshall: relax every pair through every intermediate vertex."""
import numpy as np


def floyd_warshall(dist):
    n = dist.shape[0]
    d = dist.copy()
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if d[i, k] + d[k, j] < d[i, j]:
                    d[i, j] = d[i, k] + d[k, j]
    return d

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_floyd_warshall.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(17)
    n = 30
    dist = np.where(rng.uniform(size=(n, n)) < 0.2, rng.uniform(1.0, 10.0, (n, n)), np.inf)
    np.fill_diagonal(dist, 0.0)
    line = np.array([[0.0, 1.0, np.inf], [np.inf, 0.0, 2.0], [np.inf, np.inf, 0.0]])
    return {"floyd_warshall": [(dist,), (line,)]}


def jaxify_benchmark_examples():
    # all shortest paths of a sparse 80-node network (a small road or routing graph)
    rng = np.random.default_rng(18)
    n = 80
    dist = np.where(rng.uniform(size=(n, n)) < 0.1, rng.uniform(1.0, 10.0, (n, n)), np.inf)
    np.fill_diagonal(dist, 0.0)
    return {"floyd_warshall": [(dist,)]}

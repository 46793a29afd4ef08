# jaxify: skip-file
"""Example inputs for corpus/programs/loop_kmeans.py: three well separated blobs in the plane."""
import numpy as np

STATIC_ARGNAMES = {"kmeans": ("n_iter",)}


def _blobs():
    rng = np.random.default_rng(11)
    centers = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
    return np.concatenate([c + rng.normal(scale=0.7, size=(80, 2)) for c in centers])


def jaxify_examples():
    points = _blobs()
    start = points[[0, 1, 2, 200]].copy()
    return {
        "assign": [(points, start)],
        "kmeans": [(points, start, 8)],
    }


def jaxify_benchmark_examples():
    # 2000 points in five clusters, five Lloyd iterations
    rng = np.random.default_rng(12)
    centers = rng.uniform(-10.0, 10.0, size=(5, 2))
    points = np.concatenate([c + rng.normal(scale=1.0, size=(400, 2)) for c in centers])
    start = points[::400].copy()
    return {"assign": [(points, start)], "kmeans": [(points, start, 5)]}

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

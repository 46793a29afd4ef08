# jaxify: skip-file
"""Example inputs for corpus/programs/vec_pairwise_distances.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(60, 3)), rng.normal(size=(50, 3))
    return {
        "pairwise_distances": [(X, Y), (np.zeros((1, 2)), np.ones((2, 2)))],
        "nearest_neighbour": [(X, Y)],
    }

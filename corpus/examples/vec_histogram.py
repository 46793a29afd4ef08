# jaxify: skip-file
"""Example inputs for corpus/programs/vec_histogram.py."""
import numpy as np

STATIC_ARGNAMES = {"histogram": ("n_bins",), "density": ("n_bins",)}


def jaxify_examples():
    rng = np.random.default_rng(7)
    data = rng.normal(size=2000)
    return {
        "histogram": [(data, 20, -3.0, 3.0), (np.array([-1.5, -0.25, 0.0, 0.5, 1.0, 2.0]), 4, -1.0, 1.0)],
        "density": [(data, 16, -2.0, 2.0)],
    }

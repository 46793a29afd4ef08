# jaxify: skip-file
"""Example inputs for corpus/programs/random_bootstrap.py."""
import numpy as np

STATIC_ARGNAMES = {"bootstrap_means": ("n_boot",), "bootstrap_std_error": ("n_boot",), "permutation_test": ("n_perm",)}


def jaxify_examples():
    rng = np.random.default_rng(5)
    data = rng.gamma(2.0, 1.5, size=40)
    a, b = rng.normal(0.0, 1.0, size=15), rng.normal(0.4, 1.0, size=12)
    return {
        "bootstrap_means": [(data, 30)],
        "bootstrap_std_error": [(data, 50)],
        "permutation_test": [(a, b, 40)],
    }

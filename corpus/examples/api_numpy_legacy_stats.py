# jaxify: skip-file
"""Example inputs for corpus/programs/api_numpy_legacy_stats.py."""
import numpy as np

STATIC_ARGNAMES = {"nan_padded": ("length",)}


def jaxify_examples():
    rng = np.random.default_rng(31)
    positive = rng.uniform(0.5, 2.0, size=12)
    mixed = rng.normal(size=12)
    ints = rng.integers(0, 6, size=10)
    return {
        "geometric_mean": [(positive,), (np.array([1, 2, 4, 8]),)],
        "running_product": [(positive,)],
        "membership_fraction": [(ints, np.array([1, 3, 5])), (ints.reshape(2, 5), np.array([0]))],
        "sorted_columns": [(mixed.reshape(4, 3),), (np.array([[3, 1], [2, 5], [1, 4]]),)],
        "ecdf_area": [(mixed,)],
        "all_positive": [(positive,), (mixed,)],
        "safe_log": [(mixed,)],
        "nan_padded": [(positive, 3)],
    }

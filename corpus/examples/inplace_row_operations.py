# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_row_operations.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(4)
    M = rng.random((100, 7))
    M[3] = 0.0
    return {
        "normalize_rows": [(M,), (np.array([[1.0, 3.0], [0.0, 0.0]]),)],
        "running_max": [(rng.normal(size=1000),), (np.array([3.0, 1.0, 2.0, 5.0]),)],
    }

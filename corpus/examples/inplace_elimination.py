# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_elimination.py: diagonally dominant systems."""
import numpy as np


def _system(n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n)) + n * np.eye(n)


def jaxify_examples():
    A = _system(6, 2)
    upper = np.triu(_system(5, 3))
    return {
        "upper_triangular": [(A,), (_system(3, 4),)],
        "solve_upper": [(upper, np.arange(5.0)), (np.triu(A), np.ones(6))],
        "with_ridge": [(A, 0.5), (np.ones((3, 3)), 2.0)],
    }

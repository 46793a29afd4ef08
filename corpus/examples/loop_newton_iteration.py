# jaxify: skip-file
"""Example inputs for corpus/programs/loop_newton_iteration.py."""
import numpy as np

STATIC_ARGNAMES = {"newton_sqrt": ("max_iter",)}


def jaxify_examples():
    a = np.linspace(0.01, 1000.0, 5000)
    return {"newton_sqrt": [(a, 1e-12, 100), (a, 1e-12, 3), (np.array([4.0, 9.0]), 1e-6, 50)]}


def jaxify_benchmark_examples():
    # square roots of 10^6 values, to machine tolerance
    return {"newton_sqrt": [(np.linspace(0.01, 1000.0, 1000000), 1e-12, 100)]}

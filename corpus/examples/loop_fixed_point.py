# jaxify: skip-file
"""Example inputs for corpus/programs/loop_fixed_point.py."""
import numpy as np

STATIC_ARGNAMES = {"fixed_point_cos": ("max_iter",)}


def jaxify_examples():
    x0 = np.linspace(-3.0, 3.0, 4000)
    return {"fixed_point_cos": [(x0, 1e-12, 500), (x0, 1e-12, 7), (np.array([0.5]), 1e-6, 100)]}


def jaxify_benchmark_examples():
    # a sweep of 10^5 starting points to machine tolerance, with a generous iteration cap
    return {"fixed_point_cos": [(np.linspace(-3.0, 3.0, 100000), 1e-12, 1000)]}

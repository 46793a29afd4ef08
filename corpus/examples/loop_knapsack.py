# jaxify: skip-file
"""Example inputs for corpus/programs/loop_knapsack.py."""
import numpy as np

STATIC_ARGNAMES = {"knapsack": ("capacity",)}


def jaxify_examples():
    rng = np.random.default_rng(13)
    weights = rng.integers(1, 30, 40)
    values = rng.uniform(1.0, 10.0, 40)
    return {"knapsack": [(weights, values, 200), (np.array([1, 3, 4, 5]), np.array([1.0, 4.0, 5.0, 7.0]), 7)]}


def jaxify_benchmark_examples():
    # 100 items into a capacity of 1000 units
    rng = np.random.default_rng(14)
    return {"knapsack": [(rng.integers(1, 100, 100), rng.uniform(1.0, 10.0, 100), 1000)]}

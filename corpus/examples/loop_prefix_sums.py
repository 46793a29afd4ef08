# jaxify: skip-file
"""Example inputs for corpus/programs/loop_prefix_sums.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(15)
    prices = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, size=5000)))
    return {
        "running_sum": [(rng.normal(size=5000),), (np.array([2.0]),)],
        "max_drawdown": [(prices,), (np.array([1.0, 2.0, 3.0]),)],
    }

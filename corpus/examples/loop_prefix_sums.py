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


def jaxify_benchmark_examples():
    # a year of one-minute bars (about 98,000)
    rng = np.random.default_rng(16)
    n = 252 * 390
    prices = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.001, size=n)))
    return {"running_sum": [(rng.normal(size=n),)], "max_drawdown": [(prices,)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/cond_piecewise.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(9)
    x = rng.normal(scale=2.0, size=1000)
    return {
        "soft_threshold": [(x, 0.5), (np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), 0.5)],
        "huber_loss": [(x, 1.0), (np.array([0.0, 3.0, -0.5]), 1.0)],
    }


def jaxify_benchmark_examples():
    # 10^5 residuals
    x = np.random.default_rng(10).normal(scale=2.0, size=100000)
    return {"soft_threshold": [(x, 0.5)], "huber_loss": [(x, 1.0)]}

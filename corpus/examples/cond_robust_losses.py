# jaxify: skip-file
"""Example inputs for corpus/programs/cond_robust_losses.py: residuals inside and outside each zone."""
import numpy as np

STATIC_ARGNAMES = {"smooth_l1": ("beta",)}


def jaxify_examples():
    rng = np.random.default_rng(43)
    r = rng.normal(scale=2.0, size=64)
    return {
        "huber": [(r, 1.0), (np.array([0.1, -0.2, 3.0]), 0.5)],
        "smooth_l1": [(r, 1.0), (r, 0.0)],
        "log_barrier": [(rng.uniform(-0.5, 2.0, size=32), 0.1)],
        "tukey_weight": [(0.1 * r, 4.685), (r, 1.0)],
    }


def jaxify_benchmark_examples():
    # 10^5 residuals and margins
    rng = np.random.default_rng(46)
    return {"huber": [(rng.normal(scale=2.0, size=100000), 1.0)],
            "log_barrier": [(rng.uniform(-0.5, 2.0, size=100000), 0.1)]}

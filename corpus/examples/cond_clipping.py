# jaxify: skip-file
"""Example inputs for corpus/programs/cond_clipping.py: values on both sides of every threshold."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(41)
    g = rng.normal(size=8)
    x = rng.normal(scale=2.0, size=50)
    return {
        "clip_by_norm": [(g, 0.5), (g, 100.0)],
        "hard_threshold": [(x, 1.0), (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 1.0)],
        "saturate": [(np.float64(-3.0), -1.0, 1.0), (np.float64(0.25), -1.0, 1.0), (np.float64(5.0), -1.0, 1.0)],
        "leaky_relu": [(x, 0.1)],
    }


def jaxify_benchmark_examples():
    # 10^5 coefficients
    rng = np.random.default_rng(44)
    x = rng.normal(scale=2.0, size=100000)
    return {"hard_threshold": [(x, 1.0)], "leaky_relu": [(x, 0.1)]}

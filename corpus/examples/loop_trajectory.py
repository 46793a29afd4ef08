# jaxify: skip-file
"""Example inputs for corpus/programs/loop_trajectory.py."""
import numpy as np

STATIC_ARGNAMES = {"simulate": ("n_steps",)}


def jaxify_examples():
    rng = np.random.default_rng(16)
    return {
        "force": [(np.linspace(-2.0, 2.0, 9),)],
        "simulate": [(rng.normal(size=64), np.zeros(64), 0.01, 1000), (np.array([0.5]), np.array([0.1]), 0.1, 2)],
    }


def jaxify_benchmark_examples():
    # 256 pendulums over 10^4 leapfrog steps
    rng = np.random.default_rng(17)
    return {"simulate": [(rng.normal(size=256), np.zeros(256), 0.01, 10000)]}

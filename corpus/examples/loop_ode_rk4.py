# jaxify: skip-file
"""Example inputs for corpus/programs/loop_ode_rk4.py."""
import numpy as np

STATIC_ARGNAMES = {"integrate_rk4": ("n_steps",)}


def jaxify_examples():
    return {
        "derivative": [(np.array([1.0, 0.5]), 0.3, 0.1, 2.0), (np.array([-2.0, 0.0]), 1.5, 0.0, 1.0)],
        "integrate_rk4": [(np.array([1.0, 0.0]), 0.01, 400, 0.1, 2.0), (np.array([0.0, 1.0]), 0.05, 50, 0.5, 1.0)],
    }


def jaxify_benchmark_examples():
    # 10^4 steps of dt = 0.01: a hundred time units of a driven oscillator
    return {"integrate_rk4": [(np.array([1.0, 0.0]), 0.01, 10000, 0.1, 2.0)]}

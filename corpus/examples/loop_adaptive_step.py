# jaxify: skip-file
"""Example inputs for corpus/programs/loop_adaptive_step.py."""
import numpy as np

STATIC_ARGNAMES = {"integrate_adaptive": ("max_steps",)}


def jaxify_examples():
    y0 = np.linspace(0.05, 1.5, 64)
    return {"rhs": [(0.3, y0)],
            "integrate_adaptive": [(y0, 10.0, 0.1, 1e-6, 5000), (y0, 10.0, 0.1, 1e-6, 20), (y0[:1], 1.0, 0.5, 1e-4, 100)]}


def jaxify_benchmark_examples():
    # a logistic-growth ensemble of 1000 populations over 10 time units, at a tolerance a user would set
    y0 = np.linspace(0.05, 1.5, 1000)
    return {"integrate_adaptive": [(y0, 10.0, 0.1, 1e-6, 20000)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_euler_ode.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(12)
    return {
        "lotka_volterra": [
            (rng.uniform(5.0, 15.0, size=256), rng.uniform(2.0, 8.0, size=256), 1.1, 0.4, 0.1, 0.4, 0.001, 2000),
            (np.array([10.0]), np.array([5.0]), 1.0, 0.5, 0.2, 0.6, 0.01, 0),
        ]
    }


def jaxify_benchmark_examples():
    # 1000 initial conditions over 10^4 steps of dt = 0.001 (a few predator-prey cycles)
    rng = np.random.default_rng(13)
    return {"lotka_volterra": [(rng.uniform(5.0, 15.0, size=1000), rng.uniform(2.0, 8.0, size=1000),
                                1.1, 0.4, 0.1, 0.4, 0.001, 10000)]}

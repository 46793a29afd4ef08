# jaxify: skip-file
"""Example inputs for corpus/programs/loop_power_iteration.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(14)
    B = rng.normal(size=(40, 40))
    A = B @ B.T + 40.0 * np.eye(40)
    return {"dominant_eigenvalue": [(A, rng.normal(size=40), 1e-10, 500), (A, np.ones(40), 1e-3, 3)]}


def jaxify_benchmark_examples():
    # the dominant eigenvalue of a 300 x 300 covariance-like matrix, to 1e-10
    rng = np.random.default_rng(15)
    B = rng.normal(size=(300, 300))
    A = B @ B.T + 300.0 * np.eye(300)
    return {"dominant_eigenvalue": [(A, rng.normal(size=300), 1e-10, 5000)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_power_iteration.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(14)
    B = rng.normal(size=(40, 40))
    A = B @ B.T + 40.0 * np.eye(40)
    return {"dominant_eigenvalue": [(A, rng.normal(size=40), 1e-10, 500), (A, np.ones(40), 1e-3, 3)]}

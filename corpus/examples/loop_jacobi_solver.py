# jaxify: skip-file
"""Example inputs for corpus/programs/loop_jacobi_solver.py."""
import numpy as np

STATIC_ARGNAMES = {"jacobi": ("max_iter",)}


def jaxify_examples():
    rng = np.random.default_rng(5)
    A = rng.random((40, 40))
    A += np.diag(A.sum(axis=1) + 1.0)
    b = rng.random(40)
    return {"jacobi": [(A, b, 1e-10, 500), (A, b, 1e-3, 5)]}


def jaxify_benchmark_examples():
    # a 300 x 300 system to 1e-10: a weakly dominant diagonal needs a few thousand sweeps
    rng = np.random.default_rng(6)
    A = rng.random((300, 300))
    A += np.diag(A.sum(axis=1) + 1.0)
    return {"jacobi": [(A, rng.random(300), 1e-10, 10000)]}

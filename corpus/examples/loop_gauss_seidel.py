# jaxify: skip-file
"""Example inputs for corpus/programs/loop_gauss_seidel.py."""
import numpy as np

STATIC_ARGNAMES = {"sor_solve": ("max_iter",)}


def jaxify_examples():
    rng = np.random.default_rng(3)
    n = 24
    A = rng.uniform(-1.0, 1.0, (n, n))
    A += np.diag(np.abs(A).sum(axis=1) + 1.0)  # diagonally dominant: the sweeps converge
    b = rng.normal(size=n)
    small = np.array([[4.0, 1.0], [2.0, 3.0]])
    return {"sor_solve": [(A, b, 1.2, 1e-10, 200), (A, b, 1.0, 1e-10, 3), (small, np.array([1.0, 2.0]), 1.0, 1e-12, 50)]}


def jaxify_benchmark_examples():
    # a 100 x 100 diagonally dominant system solved to 1e-10, the iteration cap a user would set
    rng = np.random.default_rng(4)
    n = 100
    A = rng.uniform(-1.0, 1.0, (n, n))
    A += np.diag(np.abs(A).sum(axis=1) + 1.0)
    return {"sor_solve": [(A, rng.normal(size=n), 1.2, 1e-10, 1000)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_root_finding.py."""
import numpy as np

STATIC_ARGNAMES = {"bisect_roots": ("max_iter",), "secant_roots": ("max_iter",)}


def jaxify_examples():
    c = np.linspace(-20.0, 30.0, 300)
    return {
        "bisect_roots": [(c, -10.0, 10.0, 1e-12, 100), (c, -10.0, 10.0, 1e-12, 5), (np.array([2.0]), 0.0, 2.0, 1e-9, 60)],
        "secant_roots": [(c, 0.0, 1.0, 1e-12, 100), (c, 0.0, 1.0, 1e-12, 4), (np.array([2.0]), 0.0, 2.0, 1e-9, 60)],
    }


def jaxify_benchmark_examples():
    # 2000 right-hand sides, to 1e-12
    c = np.linspace(-20.0, 30.0, 2000)
    return {"bisect_roots": [(c, -10.0, 10.0, 1e-12, 100)], "secant_roots": [(c, 0.0, 1.0, 1e-12, 100)]}

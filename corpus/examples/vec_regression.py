# jaxify: skip-file
"""Example inputs for corpus/programs/vec_regression.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 3))
    y = 1.5 + X @ np.array([2.0, -1.0, 0.5]) + 0.1 * rng.normal(size=120)
    coef = np.array([1.5, 2.0, -1.0, 0.5])
    x = np.linspace(-1.0, 1.0, 60)
    return {
        "add_intercept": [(X,)],
        "ridge_fit": [(X, y, 0.0), (X, y, 3.0)],
        "predict": [(X, coef)],
        "r2_score": [(y, X @ coef[1:] + coef[0])],
        "polyfit_residuals": [(x, np.cos(3 * x), 4)],
    }


STATIC_ARGNAMES = {"polyfit_residuals": ("degree",)}

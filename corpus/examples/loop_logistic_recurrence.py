# jaxify: skip-file
"""Example inputs for corpus/programs/loop_logistic_recurrence.py (a stable r: no chaos to amplify rounding)."""
import numpy as np

STATIC_ARGNAMES = {"logistic_orbit": ("n",), "chebyshev_table": ("degree",)}


def jaxify_examples():
    return {
        "logistic_orbit": [(0.2, 2.8, 500), (0.9, 1.5, 10)],
        "chebyshev_table": [(np.linspace(-1.0, 1.0, 300), 12), (np.array([0.5]), 0), (np.array([0.5]), 1)],
    }


def jaxify_benchmark_examples():
    # a 10^6-step orbit (a Lyapunov exponent estimate's length); a degree-100 basis on 50,000 points
    return {"logistic_orbit": [(0.2, 3.7, 1000000)], "chebyshev_table": [(np.linspace(-1.0, 1.0, 50000), 100)]}

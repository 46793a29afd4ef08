# jaxify: skip-file
"""Example inputs for corpus/programs/random_noisy_simulation.py."""
import numpy as np

STATIC_ARGNAMES = {"simulate": ("n_steps",), "jittered_grid": ("n",)}


def jaxify_examples():
    signal = np.sin(np.linspace(0.0, 6.0, 25))
    return {
        "simulate": [(1.0, 0.0, 0.05, 60, 0.3)],
        "measure": [(signal, 0.2)],
        "jittered_grid": [(12, 0.5, 0.1)],
    }

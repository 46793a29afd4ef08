# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_helpers.py."""
import numpy as np

STATIC_ARGNAMES = {"solve": ("n", "sweeps"), "_relax": ("sweeps",)}


def jaxify_examples():
    ramp = np.linspace(0.0, 2.0, 7)
    return {
        "_decay": [(ramp, 0.25)],
        "_set_boundary": [(ramp, -1.0, 3.0)],
        "_relax": [(ramp, 4)],
        "solve": [(8, 5, 0.1), (4, 1, 0.0)],
        "rescale": [(np.arange(5.0), 2.0), (np.ones((2, 3)), -1.5)],
    }

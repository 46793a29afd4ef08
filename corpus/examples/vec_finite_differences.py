# jaxify: skip-file
"""Example inputs for corpus/programs/vec_finite_differences.py."""
import numpy as np

STATIC_ARGNAMES = {"heat_explicit": ("n_steps",)}


def jaxify_examples():
    grid = np.linspace(0.0, 1.0, 201)
    return {
        "second_derivative": [(np.sin(2 * np.pi * grid), grid[1] - grid[0]), (grid ** 3, 0.5)],
        "heat_explicit": [(np.exp(-100 * (grid - 0.5) ** 2), grid[1] - grid[0], 1e-5, 300)],
    }

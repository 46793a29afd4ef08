# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_buffers.py."""
import numpy as np

STATIC_ARGNAMES = {"moving_sum": ("width",), "sorted_tail": ("k",)}


def jaxify_examples():
    rng = np.random.default_rng(8)
    x = rng.normal(size=40)
    return {
        "moving_sum": [(x, 5), (x[:6], 6)],
        "sorted_tail": [(x, 4), (np.array([3.0, 1.0, 2.0]), 3)],
        "integer_levels": [(np.abs(x) * 10, 0.7), (np.arange(6.0), 1.0)],
    }

# jaxify: skip-file
"""Example inputs for corpus/programs/vec_signal_stats.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(7)
    t = np.linspace(0.0, 1.0, 400)
    signal = np.sin(2 * np.pi * 3 * t) + 0.1 * rng.standard_normal(t.size)
    table = rng.normal(2.0, 3.0, size=(50, 4))
    table[:, 2] = 1.5  # a constant column
    return {
        "zscore": [(table,), (table, 1)],
        "rms": [(signal,), (table,)],
        "crest_factor": [(signal,)],
        "moving_average": [(signal, 5), (signal, 32)],
        "positive_area": [(signal, t[1] - t[0])],
        "mean_of_quiet": [(signal,)],
        "replace_outliers": [(np.concatenate([signal, [9.0, -8.0]]), 3.0)],
    }


STATIC_ARGNAMES = {"moving_average": ("window",)}

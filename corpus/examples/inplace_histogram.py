# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_histogram.py: values in [0, 1) with many repeats per bin."""
import numpy as np

STATIC_ARGNAMES = {name: ("nbins",) for name in ("bin_index", "weighted_histogram", "bins_hit", "bin_maxima")}


def jaxify_examples():
    rng = np.random.default_rng(21)
    values = rng.random(200)
    weights = rng.normal(size=200)
    few = np.array([0.05, 0.05, 0.95, 0.5, 0.999])
    return {
        "bin_index": [(values, 10), (few, 4)],
        "weighted_histogram": [(values, weights, 10), (few, np.ones(5), 4)],
        "bins_hit": [(values, 16), (few, 4)],
        "bin_maxima": [(values, 10), (few, 8)],
    }

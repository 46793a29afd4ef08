# jaxify: skip-file
"""Example inputs for corpus/programs/loop_running_stats.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(11)
    samples = rng.normal(2.0, 3.0, 20000)
    samples[rng.integers(0, samples.size, 500)] = np.nan
    return {"running_mean_variance": [(samples, -4.0, 9.0), (np.array([1.0, np.nan, 50.0, 3.0]), 0.0, 10.0)]}


def jaxify_benchmark_examples():
    # 10^5 sensor samples with dropouts
    rng = np.random.default_rng(12)
    samples = rng.normal(2.0, 3.0, 100000)
    samples[rng.integers(0, samples.size, 2500)] = np.nan
    return {"running_mean_variance": [(samples, -4.0, 9.0)]}

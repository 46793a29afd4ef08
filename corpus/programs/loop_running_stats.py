"""Welford's running mean and variance over a stream of samples, skipping missing (NaN) and
out-of-range samples with `continue`."""
import numpy as np


def running_mean_variance(samples, lo, hi):
    count = 0
    mean = 0.0
    m2 = 0.0
    for i in range(samples.shape[0]):
        value = samples[i]
        if np.isnan(value):
            continue
        if value < lo or value > hi:
            continue
        count += 1
        delta = value - mean
        mean += delta / count
        m2 += delta * (value - mean)
    variance = m2 / (count - 1) if count > 1 else 0.0
    return mean, variance, count

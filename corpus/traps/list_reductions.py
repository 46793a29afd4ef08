"""Summary statistics of values that callers pass as Python lists."""
import numpy as np


def summary(values):
    return np.min(values), np.max(values), np.mean(values)


def normalised(values):
    lo = np.min(values)
    hi = np.max(values)
    return (np.asarray(values) - lo) / (hi - lo)


def spread(values):
    centred = values - np.mean(values)
    return np.sqrt(np.mean(centred ** 2))

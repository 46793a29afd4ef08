"""Casting floats with NaN and large values to integers."""
import numpy as np


def bins(values, width):
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return (values / width).astype(np.int64)


def rounded_counts(values):
    values = np.asarray(values, dtype=float)
    counts = np.zeros(values.shape[0], dtype=np.int32)
    with np.errstate(invalid="ignore"):
        for i in range(values.shape[0]):
            counts[i] = values[i]
    return counts

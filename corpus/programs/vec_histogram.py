"""Histograms counted one value at a time, as a Python loop over the data."""
import numpy as np


def histogram(values, n_bins, low, high):
    counts = np.zeros(n_bins, dtype=np.int64)
    width = (high - low) / n_bins
    for v in values:
        b = int((v - low) / width)
        if 0 <= b < n_bins:
            counts[b] += 1
    return counts


def density(values, n_bins, low, high):
    counts = histogram(values, n_bins, low, high)
    width = (high - low) / n_bins
    return counts / (len(values) * width)

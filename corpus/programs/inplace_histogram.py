"""Histograms over [0, 1): accumulated weights per bin, which bins were hit, and each bin's maximum."""
import numpy as np


def bin_index(values, nbins):
    idx = (values * nbins).astype(np.int64)
    np.clip(idx, 0, nbins - 1, out=idx)
    return idx


def weighted_histogram(values, weights, nbins):
    counts = np.zeros(nbins)
    np.add.at(counts, bin_index(values, nbins), weights)
    return counts


def bins_hit(values, nbins):
    hit = np.zeros(nbins)
    idx = bin_index(values, nbins)
    hit[idx] += 1.0  # a bin hit many times is still marked once
    return hit


def bin_maxima(values, nbins):
    peak = np.full(nbins, -1.0)
    np.maximum.at(peak, bin_index(values, nbins), values)
    return peak

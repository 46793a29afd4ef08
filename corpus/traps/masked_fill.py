"""Masked arrays built and updated element by element."""
import numpy as np


def mask_negative(values):
    data = np.ma.array(np.asarray(values, dtype=float), mask=False)
    for i in range(data.shape[0]):
        if data[i] < 0:
            data[i] = np.ma.masked
    return data


def masked_total(values):
    data = np.ma.masked_equal(np.asarray(values, dtype=float), 0.0)
    return np.sum(data), np.ma.count_masked(data)

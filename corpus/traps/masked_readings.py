"""Sensor readings with missing values kept as a masked array."""
import numpy as np


def clean_mean(readings):
    data = np.ma.masked_invalid(np.asarray(readings, dtype=float))
    data[0] = np.ma.masked
    return data.mean(), data.count()


def drop_outliers(readings, limit):
    data = np.ma.masked_array(np.asarray(readings, dtype=float))
    for i in range(data.shape[0]):
        if abs(data[i]) > limit:
            data[i] = np.ma.masked
    return data.sum()


def filled(readings):
    data = np.ma.masked_less(np.asarray(readings, dtype=float), 0.0)
    out = data.filled(0.0)
    out[-1] = 9.0
    return out, np.mean(data)

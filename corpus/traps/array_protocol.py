"""Objects that are not arrays but convert to one through `__array__`."""
import numpy as np


class Series:
    def __init__(self, values):
        self.values = list(values)

    def __array__(self, dtype=None, copy=None):
        return np.array(self.values, dtype=dtype)

    def __len__(self):
        return len(self.values)


def average(series):
    return np.mean(series)


def scaled(series, factor):
    out = np.asarray(series) * factor
    return out

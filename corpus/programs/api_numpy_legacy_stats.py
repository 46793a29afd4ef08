"""Descriptive statistics in pre-2.0 NumPy spellings: np.float_, np.product, np.asfarray, np.in1d, ..."""
import numpy as np


def geometric_mean(values):
    x = np.asfarray(values)
    return np.product(x) ** (1.0 / x.size)


def running_product(values):
    return np.cumproduct(np.asarray(values, dtype=np.float_))


def membership_fraction(values, allowed):
    return np.mean(np.in1d(values, allowed))


def sorted_columns(table):
    return np.msort(np.asfarray(table))


def ecdf_area(values):
    x = np.sort(np.asfarray(values))
    return np.trapz(x, dx=1.0 / x.size)


def all_positive(values):
    return np.alltrue(np.asfarray(values) > 0), np.sometrue(np.asfarray(values) > 10)


def safe_log(values):
    x = np.asfarray(values)
    return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.NINF), np.round_(x, 2)


def nan_padded(values, length):
    out = np.full(length, np.NaN, dtype=np.float_)
    return np.concatenate([np.asfarray(values), out])

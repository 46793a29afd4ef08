"""Extended and half precision: dtypes jax.numpy does not have or rounds differently."""
import numpy as np


def precise_sum(values):
    values = np.asarray(values, dtype=np.longdouble)
    return np.sum(values)


def half_mean(values):
    values = np.asarray(values, dtype=np.float16)
    return np.mean(values)


def complex_roots(n):
    k = np.arange(n)
    return np.exp(2j * np.pi * k / n).astype(np.complex64)

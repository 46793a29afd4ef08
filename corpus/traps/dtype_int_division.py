"""Integer division and overflow: NumPy's rules for zero divisors and wrap-around."""
import numpy as np


def per_item(totals, counts):
    totals = np.asarray(totals, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    with np.errstate(divide="ignore"):
        return totals // counts


def remainders(totals, counts):
    totals = np.asarray(totals, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mod(totals, counts)


def int32_sum(values):
    values = np.asarray(values, dtype=np.int32)
    return values * values

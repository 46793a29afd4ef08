"""Per-item shares in integer arithmetic: some groups have no members."""
import numpy as np


def shares(totals, counts):
    totals = np.asarray(totals, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    return np.abs(totals) // counts


def pages(lengths, per_page):
    lengths = np.asarray(lengths, dtype=np.int64)
    return np.floor_divide(lengths + per_page - 1, per_page)


def split_evenly(amounts, parts):
    amounts = np.asarray(amounts, dtype=np.int64)
    whole, rest = np.divmod(amounts, parts)
    return whole, rest


def halves(values):
    values = np.asarray(values, dtype=np.int64)
    return values // 2 + np.sum(values)

"""Money amounts as Decimal and ratios as Fraction: NumPy sums them exactly, as objects."""
import numpy as np


def ledger_total(amounts):
    return np.sum(amounts)


def running_balance(amounts):
    return np.cumsum(amounts)


def share(amounts):
    total = np.sum(amounts)
    out = np.empty(len(amounts), dtype=object)
    for i in range(len(amounts)):
        out[i] = amounts[i] / total
    return out

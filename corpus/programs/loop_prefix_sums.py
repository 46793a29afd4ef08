"""Prefix computations: a running sum and a running maximum (drawdown) of a series."""
import numpy as np


def running_sum(x):
    out = np.zeros(x.shape[0])
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = out[i - 1] + x[i]
    return out


def max_drawdown(prices):
    peak = prices[0]
    worst = 0.0
    for i in range(prices.shape[0]):
        peak = np.maximum(peak, prices[i])
        worst = np.maximum(worst, (peak - prices[i]) / peak)
    return worst

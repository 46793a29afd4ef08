"""Gradient clipping and thresholding written with Python branches on array values."""
import numpy as np


def clip_by_norm(g, max_norm):
    norm = np.linalg.norm(g)
    if norm > max_norm:
        g = g * (max_norm / norm)
    return g


def hard_threshold(x, t):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        if abs(x[i]) > t:
            out[i] = x[i]
    return out


def saturate(v, lo, hi):
    v = np.asarray(v, dtype=float)
    if v < lo:
        return lo + 0.0 * v
    elif v > hi:
        return hi + 0.0 * v
    return v


def leaky_relu(x, slope):
    x = np.asarray(x, dtype=float)
    y = np.empty_like(x)
    for i in range(x.shape[0]):
        y[i] = x[i] if x[i] > 0 else slope * x[i]
    return y

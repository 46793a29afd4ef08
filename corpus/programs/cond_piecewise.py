"""Piecewise functions written with if/elif per element: soft thresholding and the Huber loss."""
import numpy as np


def soft_threshold(x, lam):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        if x[i] > lam:
            out[i] = x[i] - lam
        elif x[i] < -lam:
            out[i] = x[i] + lam
        else:
            out[i] = 0.0
    return out


def huber_loss(residual, delta):
    total = 0.0
    for r in residual:
        if abs(r) <= delta:
            total += 0.5 * r * r
        else:
            total += delta * (abs(r) - 0.5 * delta)
    return total

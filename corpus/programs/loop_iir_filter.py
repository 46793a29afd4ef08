"""Recursive (IIR) filters: exponential smoothing and a direct-form-I biquad."""
import numpy as np


def exponential_smoothing(x, alpha):
    y = np.empty_like(x)
    y[0] = x[0]
    for i in range(1, len(x)):
        y[i] = alpha * x[i] + (1 - alpha) * y[i - 1]
    return y


def biquad(x, b0, b1, b2, a1, a2):
    y = np.zeros(len(x))
    x1 = x2 = y1 = y2 = 0.0
    for n in range(len(x)):
        out = b0 * x[n] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1 = x1, x[n]
        y2, y1 = y1, out
        y[n] = out
    return y

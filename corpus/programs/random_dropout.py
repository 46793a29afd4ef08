"""Dropout-like random masks: inverted dropout, a two-layer network with dropout, random masks."""
import numpy as np


def dropout(x, rate):
    mask = np.random.binomial(1, 1.0 - rate, size=x.shape)
    scale = 1.0 / (1.0 - rate)
    return x * mask * scale


def dropout_mlp(x, w1, w2, rate):
    h = np.maximum(x @ w1, 0.0)
    h = dropout(h, rate)
    return h @ w2


def keep_mask(shape, keep_prob):
    return np.random.random(shape) < keep_prob


def masked_noise(x, keep_prob, scale):
    noise = scale * np.random.standard_normal(x.shape)
    return np.where(keep_mask(x.shape, keep_prob), x, x + noise)

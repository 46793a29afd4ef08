"""Quantising measurements to integer levels: gaps are NaN, some readings are negative."""
import numpy as np


def levels(readings, step):
    readings = np.asarray(readings, dtype=float)
    return (readings / step).astype(np.int64)


def to_bytes(signal):
    signal = np.asarray(signal, dtype=float)
    return np.round(signal * 255.0).astype(np.uint8)


def as_counts(values):
    return np.asarray(np.abs(values), dtype=np.int32) + 1

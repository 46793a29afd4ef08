"""Formatting results NumPy computed: scalars print differently from 0-d arrays."""
import numpy as np


def label(x):
    x = np.asarray(x, dtype=float)
    return "mean=%r" % np.mean(x)


def caption(x):
    x = np.asarray(x, dtype=float)
    return "max " + str(np.max(x)) + ", " + repr(np.min(x))


def keyed(x):
    x = np.asarray(x, dtype=float)
    counts = {}
    counts[np.max(x)] = 1
    return counts

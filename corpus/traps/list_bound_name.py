"""A list bound to a name, then handed to NumPy reductions."""
import numpy as np


def best_score(x, weights):
    scores = [float(np.dot(x, w)) for w in weights]
    return np.max(scores), np.argmax(scores)


def running_peak(series):
    peaks = []
    for value in series:
        peaks.append(value)
    return np.maximum.accumulate(peaks)


def gaps(points):
    ordered = sorted(points)
    return np.diff(ordered)

"""A module-level array used as shared state and updated by functions."""
import numpy as np

COUNTS = np.zeros(3)


def record(i, amount):
    COUNTS[i] += amount
    return COUNTS.copy()


def normalised_counts():
    total = np.sum(COUNTS)
    return COUNTS / total if total else COUNTS.copy()

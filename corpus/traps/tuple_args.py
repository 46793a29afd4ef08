"""Tuples and nested sequences passed straight to NumPy functions."""
import numpy as np


def distance(p, q):
    return np.linalg.norm(np.subtract(p, q))


def corners(box):
    lo, hi = box
    return np.stack([lo, hi])


def centroid(points):
    return np.mean(points, axis=0)

"""Structured arrays reshaped with numpy.lib.recfunctions."""
import numpy as np
from numpy.lib import recfunctions as rfn


def to_matrix(points):
    rec = np.array(points, dtype=[("x", "f8"), ("y", "f8")])
    m = rfn.structured_to_unstructured(rec)
    m[:, 1] *= 10.0
    return m


def with_norm(points):
    rec = np.array(points, dtype=[("x", "f8"), ("y", "f8")])
    norm = np.sqrt(rec["x"] ** 2 + rec["y"] ** 2)
    return rfn.append_fields(rec, "norm", norm, usemask=False)

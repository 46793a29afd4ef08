"""Binary data read in big-endian byte order, as file formats store it."""
import numpy as np


def decode(raw):
    values = np.frombuffer(raw, dtype=">f8")
    return values * 2.0


def decode_sum(raw):
    values = np.frombuffer(raw, dtype=">i4").astype(">i4")
    return np.cumsum(values)


def swapped(x):
    x = np.asarray(x, dtype=">f8")
    return x + 1.0

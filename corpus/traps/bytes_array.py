"""Fixed-width byte strings, as read from binary headers."""
import numpy as np


def tags(raw, width):
    arr = np.frombuffer(raw, dtype="S%d" % width)
    return arr.copy()


def first_bytes(raw, width):
    arr = np.array(np.frombuffer(raw, dtype="S%d" % width))
    arr[0] = b"XX"
    return arr

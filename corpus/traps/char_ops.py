"""String arrays through np.char and np.strings."""
import numpy as np


def shout(words):
    arr = np.array(words)
    return np.char.upper(arr)


def initials(words):
    arr = np.array(words)
    out = np.empty(arr.shape[0], dtype="U1")
    for i in range(arr.shape[0]):
        out[i] = arr[i][0]
    return out


def joined(first, last):
    return np.char.add(np.char.add(np.array(first), " "), np.array(last))

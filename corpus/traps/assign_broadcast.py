"""Assignment broadcasting: a (1, n) row written into a row of shape (n,)."""
import numpy as np


def set_rows(n, m):
    out = np.zeros((n, m))
    for i in range(n):
        row = np.arange(float(m)).reshape(1, m) + i
        out[i] = row
    return out


def set_first(table, row):
    table = np.array(table, dtype=float)
    table[0] = np.atleast_2d(np.asarray(row, dtype=float))
    return table

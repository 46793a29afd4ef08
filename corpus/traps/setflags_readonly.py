"""Read-only arrays: NumPy refuses writes after setflags(write=False)."""
import numpy as np


def frozen(n):
    table = np.arange(float(n))
    table.setflags(write=False)
    try:
        table[0] = 5.0
    except ValueError:
        return "read-only", table
    return "written", table


def byteswapped(x):
    x = np.array(x, dtype=float)
    x.byteswap(inplace=True)
    return x.view(x.dtype.newbyteorder())

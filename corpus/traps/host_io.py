"""Reading and writing text tables through file-like objects."""
import io

import numpy as np


def round_trip(x):
    buffer = io.StringIO()
    np.savetxt(buffer, np.asarray(x, dtype=float), fmt="%.3f")
    buffer.seek(0)
    return np.loadtxt(buffer) * 2.0


def read_table(text):
    data = np.genfromtxt(io.StringIO(text), delimiter=",", names=True)
    return data["b"] + data["a"]


def report(x):
    x = np.asarray(x, dtype=float)
    lines = []
    for i in range(x.shape[0]):
        lines.append("%d: %.2f" % (i, x[i]))
    return "\n".join(lines)

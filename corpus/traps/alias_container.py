"""Arrays kept in containers and written through the container later."""
import numpy as np


def buffers(n):
    state = {"pos": np.zeros(n), "vel": np.ones(n)}
    pos = state["pos"]
    for i in range(n):
        state["pos"][i] = i * 0.5
    return pos


def layers(n):
    weights = [np.zeros(2) for _ in range(n)]
    first = weights[0]
    for w in weights:
        w += 1.0
    return first, weights


def stacked(x):
    x = np.asarray(x, dtype=float)
    rows = [x, x * 2]
    rows[0][0] = 100.0
    return x

"""Operations chosen by configuration and stored as attributes."""
import numpy as np


class Combiner:
    def __init__(self, mode):
        self.op = np.subtract if mode == "diff" else np.add

    def apply(self, a, b):
        return self.op(a, b)


def combine(mode, a, b):
    return Combiner(mode).apply(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


OPS = {"max": np.max, "min": np.min}


def reduce_by(name, values):
    return OPS[name](values)

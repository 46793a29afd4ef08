"""A helper writes its parameter in place; the caller passes a view of its own array."""
import numpy as np


def _clip_into(v, limit):
    for i in range(v.shape[0]):
        if v[i] > limit:
            v[i] = limit


def clip_rows(table, limit):
    table = np.asarray(table, dtype=float)
    for r in range(table.shape[0]):
        _clip_into(table[r], limit)
    return table


def clip_copy(values, limit):
    out = np.array(values, dtype=float)
    _clip_into(out, limit)
    return out

"""Ragged rows kept in an object array: each element is a Python list of its own length."""
import numpy as np


def ragged(rows):
    table = np.empty(len(rows), dtype=object)
    for i in range(len(rows)):
        table[i] = list(rows[i])
    return table


def row_lengths(rows):
    table = ragged(rows)
    lengths = np.zeros(len(table), dtype=int)
    for i in range(len(table)):
        lengths[i] = len(table[i])
    return lengths


def row_sums(rows):
    table = ragged(rows)
    return np.array([np.sum(r) for r in table])

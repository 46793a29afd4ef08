"""Levenshtein edit distance between two sequences of symbol codes, by the dynamic-programming
table filled cell by cell."""
import numpy as np


def edit_distance(s, t):
    m = s.shape[0]
    n = t.shape[0]
    d = np.zeros((m + 1, n + 1))
    for i in range(m + 1):
        d[i, 0] = i
    for j in range(n + 1):
        d[0, j] = j
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            if s[i - 1] == t[j - 1]:
                cost = 0.0
            else:
                cost = 1.0
            d[i, j] = min(d[i - 1, j] + 1.0, d[i, j - 1] + 1.0, d[i - 1, j - 1] + cost)
    return d[m, n]

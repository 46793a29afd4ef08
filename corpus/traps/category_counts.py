"""Counting categories given as strings against a sorted vocabulary."""
import numpy as np


def codes(labels, vocabulary):
    vocab = np.sort(np.asarray(vocabulary))
    return np.searchsorted(vocab, labels)


def histogram(labels, vocabulary):
    idx = codes(labels, vocabulary)
    counts = np.zeros(len(vocabulary), dtype=int)
    for i in idx:
        counts[i] += 1
    return counts


def most_common(labels):
    values, counts = np.unique(np.asarray(labels), return_counts=True)
    return values[np.argmax(counts)]

"""Word statistics over a list of tokens: the arrays hold strings, not numbers."""
import numpy as np


def vocabulary(tokens):
    words = np.array(tokens)
    words[0] = words[0].upper()
    unique, counts = np.unique(words, return_counts=True)
    return unique, counts


def longest(tokens):
    lengths = np.array([len(t) for t in tokens])
    best = np.argmax(lengths)
    return tokens[best], np.max(lengths)


def padded(tokens, width):
    out = np.empty(len(tokens), dtype=object)
    for i in range(len(tokens)):
        out[i] = tokens[i].ljust(width, ".")
    return out

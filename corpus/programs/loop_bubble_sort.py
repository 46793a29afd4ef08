"""Bubble sort: passes of data-dependent swaps of neighbours, stopped early by a pass without a
swap; and a single pass that also counts its swaps."""
import numpy as np


def bubble_pass(a):
    x = a.copy()
    swaps = 0
    for i in range(x.shape[0] - 1):
        if x[i] > x[i + 1]:
            tmp = x[i]
            x[i] = x[i + 1]
            x[i + 1] = tmp
            swaps += 1
    return x, swaps


def bubble_sort(a):
    x = a.copy()
    n = x.shape[0]
    for p in range(n - 1):
        swapped = False
        for i in range(n - 1 - p):
            if x[i] > x[i + 1]:
                tmp = x[i]
                x[i] = x[i + 1]
                x[i + 1] = tmp
                swapped = True
        if not swapped:
            break
    return x

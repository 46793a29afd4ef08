"""The 0/1 knapsack problem by dynamic programming over capacities, the capacities walked downwards
so that each item is used at most once."""
import numpy as np


def knapsack(weights, values, capacity):
    best = np.zeros(capacity + 1)
    for item in range(weights.shape[0]):
        for c in range(capacity, -1, -1):
            if weights[item] <= c:
                candidate = best[c - weights[item]] + values[item]
                if candidate > best[c]:
                    best[c] = candidate
    return best[capacity]

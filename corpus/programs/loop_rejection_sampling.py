"""Rejection sampling from the semicircle density on [-1, 1]: draw a point in the box, keep it when
it falls under the curve, until n samples are kept."""
import numpy as np


def sample_semicircle(n):
    samples = np.zeros(n)
    count = 0
    while count < n:
        x = np.random.uniform(-1.0, 1.0)
        y = np.random.uniform(0.0, 1.0)
        if y * y > 1.0 - x * x:
            continue
        samples[count] = x
        count += 1
    return samples

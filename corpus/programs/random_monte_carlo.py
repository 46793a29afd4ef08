"""Monte Carlo estimates: pi from points in the unit square, and the integral of x**p on [0, 1]."""
import numpy as np


def estimate_pi(n_samples):
    x = np.random.uniform(size=n_samples)
    y = np.random.uniform(size=n_samples)
    inside = x * x + y * y <= 1.0
    return 4.0 * np.sum(inside) / n_samples


def power_integral(p, n_samples):
    total = 0.0
    for i in range(n_samples):
        u = np.random.random()
        total += u ** p
    return total / n_samples

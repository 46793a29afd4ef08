"""Finite differences: a second derivative and an explicit heat-equation solver."""
import numpy as np


def second_derivative(u, dx):
    n = u.shape[0]
    d2 = np.zeros(n)
    for i in range(1, n - 1):
        d2[i] = (u[i - 1] - 2.0 * u[i] + u[i + 1]) / (dx * dx)
    return d2


def heat_explicit(u0, dx, dt, n_steps):
    u = u0.copy()
    r = dt / dx ** 2
    for step in range(n_steps):
        u[1:-1] = u[1:-1] + r * (u[:-2] - 2.0 * u[1:-1] + u[2:])
    return u

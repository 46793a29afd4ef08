"""A pendulum stepped with velocity Verlet; every angle is recorded."""
import numpy as np


def force(x):
    return -np.sin(x)


def simulate(x, v, dt, n_steps):
    positions = []
    for step in range(n_steps):
        v_half = v + 0.5 * dt * force(x)
        x = x + dt * v_half
        v = v_half + 0.5 * dt * force(x)
        positions.append(x)
    return np.array(positions)

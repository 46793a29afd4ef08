"""Random walks: many +-1 walkers, and how many of them reach a barrier."""
import numpy as np


def random_walk(n_steps, n_walkers):
    positions = np.zeros((n_steps + 1, n_walkers))
    for t in range(n_steps):
        steps = np.random.choice([-1.0, 1.0], size=n_walkers)
        positions[t + 1] = positions[t] + steps
    return positions


def barrier_fraction(n_steps, n_walkers, barrier):
    positions = random_walk(n_steps, n_walkers)
    reached = np.any(np.abs(positions) >= barrier, axis=0)
    return np.mean(reached)

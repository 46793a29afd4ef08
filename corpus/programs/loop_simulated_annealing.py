"""Simulated annealing of a bumpy one-dimensional energy: Metropolis accept/reject on a random draw
under a linearly cooling temperature, keeping the best point seen."""
import numpy as np


def energy(x):
    return x * x + 10.0 * np.sin(3.0 * x)


def anneal(x0, n_steps, t0, step_size):
    x = x0
    e = energy(x)
    best_x = x
    best_e = e
    for k in range(n_steps):
        temperature = t0 * (1.0 - k / n_steps) + 1e-3
        candidate = x + step_size * np.random.normal()
        e_candidate = energy(candidate)
        if e_candidate < e or np.random.uniform() < np.exp((e - e_candidate) / temperature):
            x = candidate
            e = e_candidate
        if e < best_e:
            best_x = x
            best_e = e
    return best_x, best_e

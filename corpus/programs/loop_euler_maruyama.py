"""Euler-Maruyama for an Ornstein-Uhlenbeck process, many paths at once, reflected at zero."""
import numpy as np


def ou_paths(x0, theta, mu, sigma, dt, n_steps, n_paths):
    x = np.full(n_paths, x0)
    for t in range(n_steps):
        dw = np.random.normal(0.0, np.sqrt(dt), size=n_paths)
        x = x + theta * (mu - x) * dt + sigma * dw
        for p in range(n_paths):
            if x[p] < 0.0:
                x[p] = -x[p]
    return x

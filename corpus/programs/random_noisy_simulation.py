"""A damped oscillator driven by noise (Euler-Maruyama), and noisy measurements of a signal."""
import numpy as np


def simulate(x0, v0, dt, n_steps, noise):
    x, v = x0, v0
    xs = np.zeros(n_steps)
    for t in range(n_steps):
        a = -x - 0.1 * v
        v = v + dt * a + noise * np.sqrt(dt) * np.random.normal()
        x = x + dt * v
        xs[t] = x
    return xs


def measure(signal, sigma):
    return signal + np.random.normal(0.0, sigma, size=signal.shape)


def jittered_grid(n, spacing, jitter):
    grid = np.arange(n) * spacing
    return grid + np.random.uniform(-jitter, jitter, size=n)

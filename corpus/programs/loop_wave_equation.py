"""The one-dimensional wave equation by the explicit leapfrog scheme, with fixed (zero) ends set by
a boundary-index check inside the loop over grid points."""
import numpy as np


def wave_1d(u0, c, dt, dx, n_steps):
    n = u0.shape[0]
    r2 = (c * dt / dx) ** 2
    u_prev = u0.copy()
    u = u0.copy()
    for t in range(n_steps):
        u_next = np.empty(n)
        for i in range(n):
            if i == 0 or i == n - 1:
                u_next[i] = 0.0
            else:
                u_next[i] = 2.0 * u[i] - u_prev[i] + r2 * (u[i + 1] - 2.0 * u[i] + u[i - 1])
        u_prev = u
        u = u_next
    return u

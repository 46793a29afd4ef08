"""An adaptive-step integrator: an Euler/Heun pair estimates the local error; an `if` accepts the
step and maybe doubles it, or halves it and tries again, until t_end."""
import numpy as np


def rhs(t, y):
    return y * (1.0 - y) - 0.5 * np.sin(t) * y


def integrate_adaptive(y0, t_end, h0, tol, max_steps):
    t = 0.0
    y = y0.copy()
    h = h0
    accepted = 0
    for step in range(max_steps):
        if t >= t_end:
            break
        if t + h > t_end:
            h = t_end - t
        k1 = rhs(t, y)
        k2 = rhs(t + h, y + h * k1)
        y_heun = y + 0.5 * h * (k1 + k2)
        error = np.max(np.abs(0.5 * h * (k2 - k1)))
        if error <= tol:
            t = t + h
            y = y_heun
            accepted += 1
            if error < 0.1 * tol:
                h = 2.0 * h
        else:
            h = 0.5 * h
    return y, t, accepted

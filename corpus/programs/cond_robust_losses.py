"""Huber-like robust losses written with per-sample branches, as in hand-rolled NumPy solvers."""
import numpy as np


def huber(residual, delta):
    total = 0.0
    for i in range(residual.shape[0]):
        r = residual[i]
        if np.abs(r) <= delta:
            total += 0.5 * r * r
        else:
            total += delta * (np.abs(r) - 0.5 * delta)
    return total / residual.shape[0]


def smooth_l1(x, beta):
    x = np.asarray(x, dtype=float)
    a = np.abs(x)
    if beta > 0.0:
        loss = np.where(a < beta, 0.5 * x * x / beta, a - 0.5 * beta)
    else:
        loss = a
    return np.sum(loss)


def log_barrier(margins, eps):
    out = np.zeros_like(margins)
    for i in range(margins.shape[0]):
        m = margins[i]
        if m > eps:
            out[i] = -np.log(m)
        else:
            out[i] = -np.log(eps) + (eps - m) / eps
    return out


def tukey_weight(r, c):
    r = np.asarray(r, dtype=float)
    u = r / c
    if np.max(np.abs(u)) < 1.0:
        w = (1.0 - u * u) ** 2
    else:
        w = np.where(np.abs(u) < 1.0, (1.0 - u * u) ** 2, 0.0)
    return w

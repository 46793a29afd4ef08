"""Damped, driven oscillator integrated with the classical fourth-order Runge-Kutta method."""
import numpy as np


def derivative(state, t, damping, omega):
    x, v = state[0], state[1]
    return np.array([v, -damping * v - omega ** 2 * x + np.cos(t)])


def integrate_rk4(state0, dt, n_steps, damping, omega):
    state = state0.copy()
    trajectory = np.zeros((n_steps + 1, 2))
    trajectory[0] = state
    t = 0.0
    for i in range(n_steps):
        k1 = derivative(state, t, damping, omega)
        k2 = derivative(state + 0.5 * dt * k1, t + 0.5 * dt, damping, omega)
        k3 = derivative(state + 0.5 * dt * k2, t + 0.5 * dt, damping, omega)
        k4 = derivative(state + dt * k3, t + dt, damping, omega)
        state = state + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + dt
        trajectory[i + 1] = state
    return trajectory

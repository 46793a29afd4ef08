"""Lotka-Volterra predator-prey dynamics integrated with the explicit Euler method."""
import numpy as np


def lotka_volterra(prey, predator, alpha, beta, delta, gamma, dt, n_steps):
    for step in range(n_steps):
        # both rates use the state at the start of the step
        d_prey = alpha * prey - beta * prey * predator
        d_predator = delta * prey * predator - gamma * predator
        # populations cannot go negative
        prey = np.maximum(prey + dt * d_prey, 0.0)
        predator = np.maximum(predator + dt * d_predator, 0.0)
    return prey, predator

"""Particles in the unit box: explicit Euler steps with reflecting walls, updated in place."""
import numpy as np


def step(pos, vel, dt, n_steps):
    pos = pos.copy()
    vel = vel.copy()
    for _ in range(n_steps):
        pos += vel * dt
        vel[pos > 1.0] *= -1.0
        vel[pos < 0.0] *= -1.0
        np.clip(pos, 0.0, 1.0, out=pos)
    return pos, vel


def kinetic_energy(vel, mass):
    energy = np.zeros(vel.shape[0])
    for i in range(vel.shape[0]):
        energy[i] = 0.5 * mass * (vel[i] ** 2).sum()
    return energy

"""Particle-system diagnostics over arrays of positions and velocities (N particles x 3)."""
import numpy as np

G = 6.674e-11


def center_of_mass(positions, masses):
    return np.sum(positions * masses[:, None], axis=0) / np.sum(masses)


def kinetic_energy(velocities, masses):
    return 0.5 * np.sum(masses * np.sum(velocities ** 2, axis=1))


def angular_momentum(positions, velocities, masses):
    return np.sum(np.cross(positions, velocities * masses[:, None]), axis=0)


def potential_energy(positions, masses, softening=1e-3):
    """Pairwise gravitational energy, each pair counted once."""
    diff = positions[:, None, :] - positions[None, :, :]
    dist = np.sqrt(np.sum(diff ** 2, axis=-1) + softening ** 2)
    pair = masses[:, None] * masses[None, :] / dist
    n = positions.shape[0]
    upper = np.triu(np.ones((n, n)), k=1)
    return -G * np.sum(pair * upper)

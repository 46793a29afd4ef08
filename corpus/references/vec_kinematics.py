# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_kinematics.py."""
import jax.numpy as jnp

G = 6.674e-11


def center_of_mass(positions, masses):
    return masses @ positions / jnp.sum(masses)


def kinetic_energy(velocities, masses):
    return 0.5 * jnp.sum(masses * jnp.sum(velocities ** 2, axis=1))


def angular_momentum(positions, velocities, masses):
    return jnp.sum(jnp.cross(positions, velocities * masses[:, None]), axis=0)


def potential_energy(positions, masses, softening=1e-3):
    diff = positions[:, None, :] - positions[None, :, :]
    dist = jnp.sqrt(jnp.sum(diff ** 2, axis=-1) + softening ** 2)
    pair = jnp.outer(masses, masses) / dist
    return -G * jnp.sum(jnp.triu(pair, k=1))

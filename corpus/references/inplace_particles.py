# jaxify: skip-file
"""Hand-written JAX: the Euler step is a scan over steps; walls flip velocity signs with where."""
import jax.numpy as jnp
from jax import lax


def step(pos, vel, dt, n_steps):
    def one(carry, _):
        pos, vel = carry
        pos = pos + vel * dt
        vel = jnp.where((pos > 1.0) | (pos < 0.0), -vel, vel)
        return (jnp.clip(pos, 0.0, 1.0), vel), None

    (pos, vel), _ = lax.scan(one, (pos, vel), None, length=n_steps)
    return pos, vel


def kinetic_energy(vel, mass):
    return 0.5 * mass * (vel ** 2).sum(axis=1)

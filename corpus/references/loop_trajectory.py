# jaxify: skip-file
"""Hand-written JAX: lax.scan stacks the positions as its per-step output."""
import jax.numpy as jnp
from jax import lax


def force(x):
    return -jnp.sin(x)


def simulate(x, v, dt, n_steps):
    def step(state, _):
        x, v = state
        v_half = v + 0.5 * dt * force(x)
        x = x + dt * v_half
        v = v_half + 0.5 * dt * force(x)
        return (x, v), x

    _, positions = lax.scan(step, (x, v), None, length=n_steps)
    return positions

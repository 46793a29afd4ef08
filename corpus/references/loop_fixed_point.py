# jaxify: skip-file
"""Hand-written JAX: a while_loop carrying the iterate, the count and the exit flag."""
import jax.numpy as jnp
from jax import lax


def fixed_point_cos(x0, tol, max_iter):
    def keep_going(state):
        _, it, done = state
        return ~done & (it < max_iter)

    def step(state):
        x, it, _ = state
        x_new = jnp.cos(x)
        return x_new, it + 1, jnp.max(jnp.abs(x_new - x)) < tol

    x, iterations, _ = lax.while_loop(keep_going, step, (x0, 0, False))
    return x, iterations

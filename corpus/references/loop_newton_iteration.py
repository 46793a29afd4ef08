# jaxify: skip-file
"""Hand-written JAX: a lax.while_loop whose carry holds the iterate, the count and the exit flag."""
import jax.numpy as jnp
from jax import lax


def newton_sqrt(a, tol, max_iter):
    def keep_going(state):
        _, k, done = state
        return ~done & (k < max_iter)

    def step(state):
        x, k, _ = state
        x_new = 0.5 * (x + a / x)
        return x_new, k + 1, jnp.max(jnp.abs(x_new - x)) < tol

    x, _, _ = lax.while_loop(keep_going, step, (jnp.where(a > 1.0, a, 1.0), 0, False))
    return x

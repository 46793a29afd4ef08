# jaxify: skip-file
"""Hand-written JAX: the data-dependent exit is a lax.while_loop carrying (x, k, converged)."""
import jax.numpy as jnp
from jax import lax


def jacobi(A, b, tol, max_iter):
    D = jnp.diag(A)
    R = A - jnp.diag(D)

    def keep_going(state):
        _, k, converged = state
        return ~converged & (k < max_iter)

    def step(state):
        x, k, _ = state
        x_new = (b - R @ x) / D
        return x_new, k + 1, jnp.max(jnp.abs(x_new - x)) < tol

    x, k, _ = lax.while_loop(keep_going, step, (jnp.zeros_like(b), 0, False))
    return x, k

# jaxify: skip-file
"""Hand-written JAX: a lax.while_loop whose carry holds the vector, the estimate and the counter."""
import jax.numpy as jnp
from jax import lax


def dominant_eigenvalue(A, v, tol, max_iter):
    def keep_going(state):
        _, _, change, it = state
        return (change > tol) & (it < max_iter)

    def step(state):
        v, estimate, _, it = state
        w = A @ v
        v = w / jnp.linalg.norm(w)
        new_estimate = v @ A @ v
        return v, new_estimate, jnp.abs(new_estimate - estimate), it + 1

    init = (v / jnp.linalg.norm(v), jnp.zeros((), v.dtype), jnp.asarray(jnp.inf, v.dtype), 0)
    v, estimate, _, it = lax.while_loop(keep_going, step, init)
    return estimate, v, it

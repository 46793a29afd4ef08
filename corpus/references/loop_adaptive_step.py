# jaxify: skip-file
"""Hand-written JAX: a while_loop carrying (t, y, h, accepted, step); the accept/reject decision and
the new step size are jnp.where selections."""
import jax.numpy as jnp
from jax import lax


def rhs(t, y):
    return y * (1.0 - y) - 0.5 * jnp.sin(t) * y


def integrate_adaptive(y0, t_end, h0, tol, max_steps):
    def keep_going(state):
        t, _, _, _, step = state
        return (t < t_end) & (step < max_steps)

    def attempt(state):
        t, y, h, accepted, step = state
        h = jnp.where(t + h > t_end, t_end - t, h)
        k1 = rhs(t, y)
        k2 = rhs(t + h, y + h * k1)
        error = jnp.max(jnp.abs(0.5 * h * (k2 - k1)))
        accept = error <= tol
        t_next = jnp.where(accept, t + h, t)
        y_next = jnp.where(accept, y + 0.5 * h * (k1 + k2), y)
        h_next = jnp.where(accept, jnp.where(error < 0.1 * tol, 2.0 * h, h), 0.5 * h)
        return t_next, y_next, h_next, accepted + accept, step + 1

    state = (jnp.asarray(0.0, dtype=y0.dtype), y0, jnp.asarray(h0, dtype=y0.dtype), 0, 0)
    t, y, _, accepted, _ = lax.while_loop(keep_going, attempt, state)
    return y, t, accepted

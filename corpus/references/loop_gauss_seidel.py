# jaxify: skip-file
"""Hand-written JAX: a while_loop over sweeps (with the exit flag); each sweep is a fori_loop over
rows, since every row reads the values the same sweep already updated (a true recurrence)."""
import jax.numpy as jnp
from jax import lax


def sor_solve(A, b, omega, tol, max_iter):
    n = A.shape[0]
    diagonal = jnp.diagonal(A)

    def update_row(i, state):
        x, largest = state
        s = b[i] - A[i] @ x + diagonal[i] * x[i]
        new = (1.0 - omega) * x[i] + omega * s / diagonal[i]
        return x.at[i].set(new), jnp.maximum(largest, jnp.abs(new - x[i]))

    def keep_going(state):
        _, sweep, done = state
        return ~done & (sweep < max_iter)

    def sweep_once(state):
        x, sweep, _ = state
        x, largest = lax.fori_loop(0, n, update_row, (x, 0.0))
        return x, sweep + 1, largest < tol

    x, _, _ = lax.while_loop(keep_going, sweep_once, (jnp.zeros(n, dtype=b.dtype), 0, False))
    return x

# jaxify: skip-file
"""Hand-written JAX: elimination as a fori_loop of rank-one updates, back substitution as a scan."""
import jax.numpy as jnp
from jax import lax


def upper_triangular(A):
    U = jnp.asarray(A, dtype=float)
    n = U.shape[0]
    rows = jnp.arange(n)

    def eliminate(k, U):
        factors = jnp.where(rows > k, U[:, k] / U[k, k], 0.0)
        cols = jnp.arange(n) >= k
        U = U - factors[:, None] * jnp.where(cols, U[k], 0.0)[None, :]
        return U.at[:, k].set(jnp.where(rows > k, 0.0, U[:, k]))

    return lax.fori_loop(0, n - 1, eliminate, U)


def solve_upper(U, b):
    n = U.shape[0]

    def back(x, i):
        rest = jnp.where(jnp.arange(n) > i, U[i] * x, 0.0).sum()
        return x.at[i].set((b[i] - rest) / U[i, i]), None

    x, _ = lax.scan(back, jnp.zeros(n), jnp.arange(n - 1, -1, -1))
    return x


def with_ridge(A, lam):
    B = jnp.asarray(A, dtype=float)
    return B + lam * jnp.eye(B.shape[0], dtype=B.dtype)

# jaxify: skip-file
"""Hand-written JAX: lax.scan for both recurrences (the Chebyshev one carries two rows)."""
import jax.numpy as jnp
from jax import lax


def logistic_orbit(x0, r, n):
    def step(x, _):
        x = r * x * (1.0 - x)
        return x, x

    _, xs = lax.scan(step, jnp.asarray(x0, jnp.float64), None, length=n)
    return xs


def chebyshev_table(x, degree):
    first = jnp.ones_like(x)
    if degree == 0:
        return first[None]

    def step(carry, _):
        older, old = carry
        new = 2.0 * x * old - older
        return (old, new), new

    _, rest = lax.scan(step, (first, x), None, length=degree - 1)
    return jnp.concatenate([first[None], x[None], rest])

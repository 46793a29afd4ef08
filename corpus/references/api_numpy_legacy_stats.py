# jaxify: skip-file
"""Hand-written JAX: the same statistics with current jax.numpy names (float64 as in NumPy)."""
import jax.numpy as jnp


def _floats(values):
    return jnp.asarray(values, dtype=jnp.float64)


def geometric_mean(values):
    x = _floats(values)
    return jnp.prod(x) ** (1.0 / x.size)


def running_product(values):
    return jnp.cumprod(_floats(values))


def membership_fraction(values, allowed):
    return jnp.mean(jnp.isin(values, allowed), dtype=jnp.float64)


def sorted_columns(table):
    return jnp.sort(_floats(table), axis=0)


def ecdf_area(values):
    x = jnp.sort(_floats(values))
    return jnp.trapezoid(x, dx=1.0 / x.size)


def all_positive(values):
    x = _floats(values)
    return jnp.all(x > 0), jnp.any(x > 10)


def safe_log(values):
    x = _floats(values)
    return jnp.where(x > 0, jnp.log(jnp.where(x > 0, x, 1.0)), -jnp.inf), jnp.round(x, 2)


def nan_padded(values, length):
    return jnp.concatenate([_floats(values), jnp.full(length, jnp.nan)])

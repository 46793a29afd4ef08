# jaxify: skip-file
"""Hand-written JAX: the same statistics with current jax.numpy names and keywords."""
import jax
import jax.numpy as jnp


def masked_logsumexp(x, mask):
    return jax.nn.logsumexp(jnp.where(mask, x, -jnp.inf))


def robust_zscore(x):
    median = jnp.percentile(x, 50, method="midpoint")
    spread = jnp.percentile(x, 75, method="higher") - jnp.percentile(x, 25, method="lower")
    return jnp.clip((x - median) / spread, -3.0, 3.0)


def survival(hazard):
    return jnp.cumprod(1.0 - hazard)


def joint_probability(p):
    return jnp.prod(p), jnp.all(p <= 1.0)


def rounded_ratio(a, b):
    return jnp.round(a / b, 3), jnp.trunc(a / b)


def any_nan(x):
    return jnp.any(jnp.isnan(x))

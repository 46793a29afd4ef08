"""Robust statistics in jax.numpy as written for JAX 0.4.1: removed aliases, keywords and config import."""
from jax.config import config
import jax.numpy as jnp

config.update("jax_enable_x64", True)


def masked_logsumexp(x, mask):
    z = jnp.where(mask, x, jnp.NINF)
    top = jnp.max(z)
    return top + jnp.log(jnp.sum(jnp.exp(z - top)))


def robust_zscore(x):
    median = jnp.percentile(x, 50, interpolation="midpoint")
    q1 = jnp.percentile(x, 25, interpolation="lower")
    q3 = jnp.percentile(x, 75, interpolation="higher")
    return jnp.clip((x - median) / (q3 - q1), a_min=-3.0, a_max=3.0)


def survival(hazard):
    return jnp.cumproduct(1.0 - hazard)


def joint_probability(p):
    return jnp.product(p), jnp.alltrue(p <= 1.0)


def rounded_ratio(a, b):
    return jnp.round_(a / b, 3), jnp.fix(a / b)


def any_nan(x):
    return jnp.sometrue(jnp.isnan(x))

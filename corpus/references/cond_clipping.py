# jaxify: skip-file
"""Hand-written JAX: clipping and thresholds as jnp.where / jnp.clip."""
import jax.numpy as jnp


def clip_by_norm(g, max_norm):
    norm = jnp.linalg.norm(g)
    return g * jnp.where(norm > max_norm, max_norm / jnp.where(norm > max_norm, norm, 1.0), 1.0)


def hard_threshold(x, t):
    return jnp.where(jnp.abs(x) > t, x, 0.0)


def saturate(v, lo, hi):
    return jnp.clip(jnp.asarray(v, dtype=float), lo, hi)


def leaky_relu(x, slope):
    x = jnp.asarray(x, dtype=float)
    return jnp.where(x > 0, x, slope * x)

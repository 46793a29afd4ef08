# jaxify: skip-file
"""Hand-written JAX: a mask of the kept samples and two masked reductions (mean, then the squared
deviations), in place of the one-sample-at-a-time update."""
import jax.numpy as jnp


def running_mean_variance(samples, lo, hi):
    keep = ~jnp.isnan(samples) & (samples >= lo) & (samples <= hi)
    count = jnp.sum(keep)
    mean = jnp.sum(jnp.where(keep, samples, 0.0)) / jnp.maximum(count, 1)
    squares = jnp.sum(jnp.where(keep, (samples - mean) ** 2, 0.0))
    variance = jnp.where(count > 1, squares / jnp.maximum(count - 1, 1), 0.0)
    return mean, variance, count

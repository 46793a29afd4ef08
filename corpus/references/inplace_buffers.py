# jaxify: skip-file
"""Hand-written JAX: moving sums as a convolution, the tail of a sort, truncating integer levels."""
import jax.numpy as jnp


def moving_sum(x, width):
    return jnp.convolve(x, jnp.ones(width), mode="valid")


def sorted_tail(x, k):
    return jnp.sort(x)[-k:]


def integer_levels(x, step):
    levels = (x / step).astype(jnp.int64) // 2
    return levels.at[0].set(7)

# jaxify: skip-file
"""Hand-written JAX: broadcast the differences of every pair at once."""
import jax.numpy as jnp


def distance_matrix(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return jnp.sqrt(jnp.sum(diff * diff, axis=-1))

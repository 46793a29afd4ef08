# jaxify: skip-file
"""Hand-written JAX: scatter-adds accumulate, the hit mask is a scatter-set, maxima a scatter-max."""
import jax.numpy as jnp


def bin_index(values, nbins):
    return jnp.clip((values * nbins).astype(jnp.int64), 0, nbins - 1)


def weighted_histogram(values, weights, nbins):
    return jnp.zeros(nbins).at[bin_index(values, nbins)].add(weights)


def bins_hit(values, nbins):
    return jnp.zeros(nbins).at[bin_index(values, nbins)].set(1.0)


def bin_maxima(values, nbins):
    return jnp.full(nbins, -1.0).at[bin_index(values, nbins)].max(values)

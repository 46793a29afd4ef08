# jaxify: skip-file
"""Hand-written JAX: one lax.scan step per item updates every capacity at once from the previous
row (what the downward walk guarantees), the shifted row gathered with a clipped index."""
import jax.numpy as jnp
from jax import lax


def knapsack(weights, values, capacity):
    capacities = jnp.arange(capacity + 1)

    def add_item(best, item):
        weight, value = item
        fits = capacities >= weight
        candidate = best[jnp.where(fits, capacities - weight, 0)] + value
        return jnp.where(fits & (candidate > best), candidate, best), None

    best, _ = lax.scan(add_item, jnp.zeros(capacity + 1, dtype=values.dtype), (weights, values))
    return best[capacity]

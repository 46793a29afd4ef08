# jaxify: skip-file
"""Hand-written JAX: the same sequential recurrences, as lax.scan / lax.fori_loop (a cumsum would
add in a different order and round differently)."""
import jax.numpy as jnp
from jax import lax


def running_sum(x):
    def step(total, value):
        total = total + value
        return total, total

    _, rest = lax.scan(step, x[0], x[1:])
    return jnp.concatenate([x[:1], rest])


def max_drawdown(prices):
    def step(i, state):
        peak, worst = state
        peak = jnp.maximum(peak, prices[i])
        return peak, jnp.maximum(worst, (peak - prices[i]) / peak)

    _, worst = lax.fori_loop(0, prices.shape[0], step, (prices[0], jnp.zeros((), prices.dtype)))
    return worst

# jaxify: skip-file
"""Hand-written JAX: a pass carries the running maximum forward, so position i ends up holding
min(max(a[:i+1]), a[i+1]) (lax.cummax), and a swap happens wherever that maximum exceeds the next
value; the sort is jnp.sort."""
import jax.numpy as jnp
from jax import lax


def bubble_pass(a):
    running_max = lax.cummax(a)
    moved_down = jnp.minimum(running_max[:-1], a[1:])
    x = jnp.concatenate([moved_down, running_max[-1:]])
    return x, jnp.sum(running_max[:-1] > a[1:])


def bubble_sort(a):
    return jnp.sort(a)

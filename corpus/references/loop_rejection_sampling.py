# jaxify: skip-file
"""Hand-written JAX: every sample draws with its own key until it is accepted (a while_loop), all
samples at once under vmap."""
import jax
import jax.numpy as jnp
from jax import lax


def _one_sample(key):
    def rejected(state):
        _, x, y = state
        return y * y > 1.0 - x * x

    def draw(state):
        key, _, _ = state
        key, kx, ky = jax.random.split(key, 3)
        return key, jax.random.uniform(kx, minval=-1.0, maxval=1.0), jax.random.uniform(ky)

    _, x, _ = lax.while_loop(rejected, draw, draw((key, 0.0, 0.0)))
    return x


def sample_semicircle(n, key):
    return jax.vmap(_one_sample)(jax.random.split(key, n))

# jaxify: skip-file
"""Hand-written JAX: all increments drawn in one call, the steps a lax.scan, the reflection jnp.abs."""
import jax
import jax.numpy as jnp
from jax import lax


def ou_paths(x0, theta, mu, sigma, dt, n_steps, n_paths, key):
    dw = jnp.sqrt(dt) * jax.random.normal(key, (n_steps, n_paths))

    def step(x, increment):
        return jnp.abs(x + theta * (mu - x) * dt + sigma * increment), None

    x, _ = lax.scan(step, jnp.full(n_paths, x0, dtype=dw.dtype), dw)
    return x

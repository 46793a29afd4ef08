# jaxify: skip-file
"""Hand-written JAX: explicit keys, one vectorised draw instead of a loop of scalar draws."""
import jax
import jax.numpy as jnp


def estimate_pi(n_samples, key):
    kx, ky = jax.random.split(key)
    x = jax.random.uniform(kx, (n_samples,))
    y = jax.random.uniform(ky, (n_samples,))
    return 4.0 * jnp.sum(x * x + y * y <= 1.0) / n_samples


def power_integral(p, n_samples, key):
    u = jax.random.uniform(key, (n_samples,))
    return jnp.mean(u ** p)

# jaxify: skip-file
"""Hand-written JAX: masks from jax.random.bernoulli, keys split per use."""
import jax
import jax.numpy as jnp


def dropout(x, rate, key):
    mask = jax.random.bernoulli(key, 1.0 - rate, x.shape)
    return x * mask * (1.0 / (1.0 - rate))


def dropout_mlp(x, w1, w2, rate, key):
    h = jnp.maximum(x @ w1, 0.0)
    return dropout(h, rate, key) @ w2


def keep_mask(shape, keep_prob, key):
    return jax.random.uniform(key, shape) < keep_prob


def masked_noise(x, keep_prob, scale, key):
    k_noise, k_mask = jax.random.split(key)
    noise = scale * jax.random.normal(k_noise, x.shape)
    return jnp.where(keep_mask(x.shape, keep_prob, k_mask), x, x + noise)

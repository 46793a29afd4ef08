# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_signal_stats.py."""
import jax.numpy as jnp


def zscore(x, ddof=0):
    std = jnp.std(x, axis=0, ddof=ddof)
    return (x - jnp.mean(x, axis=0)) / jnp.where(std > 0, std, 1.0)


def rms(x):
    return jnp.sqrt(jnp.mean(jnp.square(x)))


def crest_factor(x):
    return jnp.max(jnp.abs(x)) / rms(x)


def moving_average(x, window):
    return jnp.convolve(x, jnp.ones(window) / window, mode="valid")


def positive_area(x, dt):
    return jnp.sum(x, where=x > 0.0) * dt


def mean_of_quiet(x):
    return jnp.mean(x, where=x < 0.5)


def replace_outliers(x, threshold):
    z = (x - jnp.mean(x)) / jnp.std(x)
    return jnp.where(jnp.abs(z) > threshold, jnp.median(x), x)

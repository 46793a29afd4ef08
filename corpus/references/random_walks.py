# jaxify: skip-file
"""Hand-written JAX: all steps drawn at once, positions as a cumulative sum."""
import jax
import jax.numpy as jnp


def random_walk(n_steps, n_walkers, key):
    steps = jax.random.choice(key, jnp.array([-1.0, 1.0]), (n_steps, n_walkers))
    return jnp.concatenate([jnp.zeros((1, n_walkers)), jnp.cumsum(steps, axis=0)])


def barrier_fraction(n_steps, n_walkers, barrier, key):
    positions = random_walk(n_steps, n_walkers, key)
    return jnp.mean(jnp.any(jnp.abs(positions) >= barrier, axis=0))

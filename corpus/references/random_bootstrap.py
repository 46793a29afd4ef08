# jaxify: skip-file
"""Hand-written JAX: every resample drawn at once from split keys, statistics vectorised."""
import jax
import jax.numpy as jnp


def bootstrap_means(data, n_boot, key):
    n = data.shape[0]
    idx = jax.random.randint(key, (n_boot, n), 0, n)
    return jnp.mean(data[idx], axis=1)


def bootstrap_std_error(data, n_boot, key):
    return jnp.std(bootstrap_means(data, n_boot, key))


def permutation_test(a, b, n_perm, key):
    pooled = jnp.concatenate([a, b])
    observed = jnp.mean(a) - jnp.mean(b)
    shuffled = jax.vmap(lambda k: jax.random.permutation(k, pooled))(jax.random.split(key, n_perm))
    diff = jnp.mean(shuffled[:, : a.shape[0]], axis=1) - jnp.mean(shuffled[:, a.shape[0]:], axis=1)
    return jnp.sum(jnp.abs(diff) >= jnp.abs(observed)) / n_perm

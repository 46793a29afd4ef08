# jaxify: skip-file
"""Hand-written JAX: Adam and clipping with the jax.tree API."""
import jax
import jax.numpy as jnp


def init_state(params):
    zeros = jax.tree.map(jnp.zeros_like, params)
    return zeros, zeros


def global_norm(tree):
    return jnp.sqrt(sum(jnp.vdot(leaf, leaf) for leaf in jax.tree.leaves(tree)))


def clip_by_global_norm(grads, max_norm):
    scale = jnp.minimum(1.0, max_norm / (global_norm(grads) + 1e-12))
    return jax.tree.map(lambda g: g * scale, grads)


def adam_update(params, grads, m, v, count, lr, b1, b2, eps):
    m = jax.tree.map(lambda mi, g: b1 * mi + (1 - b1) * g, m, grads)
    v = jax.tree.map(lambda vi, g: b2 * vi + (1 - b2) * g * g, v, grads)
    step = count + 1
    new_params = jax.tree.map(
        lambda p, mi, vi: p - lr * (mi / (1 - b1**step)) / (jnp.sqrt(vi / (1 - b2**step)) + eps), params, m, v
    )
    return new_params, m, v


def scaled_copy(params, factor):
    return jax.tree.map(lambda leaf: factor * leaf, params)


def leaf_count(params):
    return len(jax.tree.leaves(params)), jax.tree.structure(params).num_leaves

"""Adam with global-norm gradient clipping, its state kept as pytrees in the style of JAX 0.2."""
import jax as j
import jax.numpy as jnp
from jax import tree_flatten, tree_unflatten
from jax.tree_util import tree_map as tm


def init_state(params):
    zeros = tm(jnp.zeros_like, params)
    return zeros, zeros


def global_norm(tree):
    leaves, _ = tree_flatten(tree)
    return jnp.sqrt(sum(jnp.vdot(leaf, leaf) for leaf in leaves))


def clip_by_global_norm(grads, max_norm):
    scale = jnp.minimum(1.0, max_norm / (global_norm(grads) + 1e-12))
    return tm(lambda g: g * scale, grads)


def adam_update(params, grads, m, v, count, lr, b1, b2, eps):
    m = j.tree_multimap(lambda mi, g: b1 * mi + (1 - b1) * g, m, grads)
    v = j.tree_multimap(lambda vi, g: b2 * vi + (1 - b2) * g * g, v, grads)
    m_hat = tm(lambda mi: mi / (1 - b1 ** (count + 1)), m)
    v_hat = tm(lambda vi: vi / (1 - b2 ** (count + 1)), v)
    new_params = j.tree_util.tree_multimap(lambda p, mh, vh: p - lr * mh / (jnp.sqrt(vh) + eps), params, m_hat, v_hat)
    return new_params, m, v


def scaled_copy(params, factor):
    leaves, treedef = tree_flatten(params)
    return tree_unflatten(treedef, [factor * leaf for leaf in leaves])


def leaf_count(params):
    return len(j.tree_leaves(params)), j.tree_structure(params).num_leaves

"""A two-layer MLP trained with plain SGD and weight decay, written against JAX 0.3's pytree API."""
import jax
import jax.numpy as jnp


def predict(params, x):
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    return hidden @ params["w2"] + params["b2"]


def loss(params, x, y):
    return jnp.mean((predict(params, x) - y) ** 2)


def sgd_update(params, x, y, lr):
    grads = jax.grad(loss)(params, x, y)
    return jax.tree_multimap(lambda p, g: p - lr * g, params, grads)


def weight_decay(params, rate):
    return jax.tree_map(lambda p: (1.0 - rate) * p, params)


def parameter_count(params):
    return sum(p.size for p in jax.tree_leaves(params))

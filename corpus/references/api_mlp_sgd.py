# jaxify: skip-file
"""Hand-written JAX: the same network and updates with the jax.tree API."""
import jax
import jax.numpy as jnp


def predict(params, x):
    return jnp.tanh(x @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"]


def loss(params, x, y):
    return jnp.mean((predict(params, x) - y) ** 2)


def sgd_update(params, x, y, lr):
    grads = jax.grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p - lr * g, params, grads)


def weight_decay(params, rate):
    return jax.tree.map(lambda p: (1.0 - rate) * p, params)


def parameter_count(params):
    return sum(p.size for p in jax.tree.leaves(params))

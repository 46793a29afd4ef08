# jaxify: skip-file
"""Hand-written JAX: vectorised robust losses with gradient-safe jnp.where."""
import jax.numpy as jnp


def huber(residual, delta):
    a = jnp.abs(residual)
    return jnp.mean(jnp.where(a <= delta, 0.5 * residual * residual, delta * (a - 0.5 * delta)))


def smooth_l1(x, beta):
    x = jnp.asarray(x, dtype=float)
    a = jnp.abs(x)
    if beta > 0.0:
        return jnp.sum(jnp.where(a < beta, 0.5 * x * x / beta, a - 0.5 * beta))
    return jnp.sum(a)


def log_barrier(margins, eps):
    safe = jnp.where(margins > eps, margins, 1.0)
    return jnp.where(margins > eps, -jnp.log(safe), -jnp.log(eps) + (eps - margins) / eps)


def tukey_weight(r, c):
    u = jnp.asarray(r, dtype=float) / c
    return jnp.where(jnp.abs(u) < 1.0, (1.0 - u * u) ** 2, 0.0)

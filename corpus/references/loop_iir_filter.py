# jaxify: skip-file
"""Hand-written JAX: each recursion is a lax.scan carrying the filter's state."""
import jax.numpy as jnp
from jax import lax


def exponential_smoothing(x, alpha):
    def step(previous, xi):
        yi = alpha * xi + (1 - alpha) * previous
        return yi, yi

    _, rest = lax.scan(step, x[0], x[1:])
    return jnp.concatenate([x[:1], rest])


def biquad(x, b0, b1, b2, a1, a2):
    def step(state, xn):
        x1, x2, y1, y2 = state
        out = b0 * xn + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        return (xn, x1, out, y1), out

    zero = jnp.zeros((), x.dtype)
    _, y = lax.scan(step, (zero, zero, zero, zero), x)
    return y

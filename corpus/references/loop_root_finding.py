# jaxify: skip-file
"""Hand-written JAX: each root is a while_loop with its exit flag, vmapped over the entries of c."""
import jax
import jax.numpy as jnp
from jax import lax


def _cubic(x, c):
    return x**3 + x - c


def bisect_roots(c, lo, hi, tol, max_iter):
    def one_root(ck):
        def keep_going(state):
            _, _, _, it, done = state
            return ~done & (it < max_iter)

        def step(state):
            a, b, _, it, _ = state
            mid = 0.5 * (a + b)
            f_mid = _cubic(mid, ck)
            done = (f_mid == 0.0) | (0.5 * (b - a) < tol)
            b_next = jnp.where(~done & (f_mid > 0.0), mid, b)
            a_next = jnp.where(~done & (f_mid <= 0.0), mid, a)
            return a_next, b_next, mid, it + 1, done

        start = jnp.asarray(0.5 * (lo + hi), dtype=c.dtype)
        state = (jnp.asarray(lo, dtype=c.dtype), jnp.asarray(hi, dtype=c.dtype), start, 0, False)
        return lax.while_loop(keep_going, step, state)[2]

    return jax.vmap(one_root)(c)


def secant_roots(c, x0, x1, tol, max_iter):
    def one_root(ck):
        def keep_going(state):
            _, _, _, it, done = state
            return ~done & (it < max_iter)

        def step(state):
            a, b, f_a, it, _ = state
            f_b = _cubic(b, ck)
            done = (jnp.abs(f_b) < tol) | (f_b == f_a)
            b_next = jnp.where(done, b, b - f_b * (b - a) / jnp.where(done, 1.0, f_b - f_a))
            return jnp.where(done, a, b), b_next, jnp.where(done, f_a, f_b), it + 1, done

        a = jnp.asarray(x0, dtype=c.dtype)
        state = (a, jnp.asarray(x1, dtype=c.dtype), _cubic(a, ck), 0, False)
        return lax.while_loop(keep_going, step, state)[1]

    return jax.vmap(one_root)(c)

# jaxify: skip-file
"""Hand-written JAX: all proposals and acceptance draws made up front, the walk as a lax.scan whose
carry is the current and the best point."""
import jax
import jax.numpy as jnp
from jax import lax


def energy(x):
    return x * x + 10.0 * jnp.sin(3.0 * x)


def anneal(x0, n_steps, t0, step_size, key):
    proposal_key, accept_key = jax.random.split(key)
    steps = step_size * jax.random.normal(proposal_key, (n_steps,))
    uniforms = jax.random.uniform(accept_key, (n_steps,))
    temperatures = t0 * (1.0 - jnp.arange(n_steps) / n_steps) + 1e-3

    def step(state, draws):
        x, e, best_x, best_e = state
        delta, u, temperature = draws
        candidate = x + delta
        e_candidate = energy(candidate)
        accept = (e_candidate < e) | (u < jnp.exp((e - e_candidate) / temperature))
        x, e = jnp.where(accept, candidate, x), jnp.where(accept, e_candidate, e)
        better = e < best_e
        return (x, e, jnp.where(better, x, best_x), jnp.where(better, e, best_e)), None

    x0 = jnp.asarray(x0, dtype=steps.dtype)
    e0 = energy(x0)
    (_, _, best_x, best_e), _ = lax.scan(step, (x0, e0, x0, e0), (steps, uniforms, temperatures))
    return best_x, best_e

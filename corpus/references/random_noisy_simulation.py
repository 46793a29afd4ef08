# jaxify: skip-file
"""Hand-written JAX: the noise drawn up front and the integration as a lax.scan."""
import jax
import jax.numpy as jnp


def simulate(x0, v0, dt, n_steps, noise, key):
    kicks = noise * jnp.sqrt(dt) * jax.random.normal(key, (n_steps,))

    def step(state, kick):
        x, v = state
        v = v + dt * (-x - 0.1 * v) + kick
        x = x + dt * v
        return (x, v), x

    _, xs = jax.lax.scan(step, (jnp.asarray(x0, float), jnp.asarray(v0, float)), kicks)
    return xs


def measure(signal, sigma, key):
    return signal + sigma * jax.random.normal(key, jnp.shape(signal))


def jittered_grid(n, spacing, jitter, key):
    return jnp.arange(n) * spacing + jax.random.uniform(key, (n,), minval=-jitter, maxval=jitter)

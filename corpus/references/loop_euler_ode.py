# jaxify: skip-file
"""Hand-written JAX: the Euler steps are a lax.fori_loop over the (prey, predator) carry."""
import jax.numpy as jnp
from jax import lax


def lotka_volterra(prey, predator, alpha, beta, delta, gamma, dt, n_steps):
    def step(_, state):
        prey, predator = state
        d_prey = alpha * prey - beta * prey * predator
        d_predator = delta * prey * predator - gamma * predator
        return jnp.maximum(prey + dt * d_prey, 0.0), jnp.maximum(predator + dt * d_predator, 0.0)

    return lax.fori_loop(0, n_steps, step, (prey, predator))

# jaxify: skip-file
"""Hand-written JAX: the RK4 loop is a lax.scan whose carry is (state, t)."""
import jax.numpy as jnp
from jax import lax


def derivative(state, t, damping, omega):
    x, v = state[0], state[1]
    return jnp.stack([v, -damping * v - omega ** 2 * x + jnp.cos(t)])


def integrate_rk4(state0, dt, n_steps, damping, omega):
    def step(carry, _):
        state, t = carry
        k1 = derivative(state, t, damping, omega)
        k2 = derivative(state + 0.5 * dt * k1, t + 0.5 * dt, damping, omega)
        k3 = derivative(state + 0.5 * dt * k2, t + 0.5 * dt, damping, omega)
        k4 = derivative(state + dt * k3, t + dt, damping, omega)
        state = state + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        return (state, t + dt), state

    _, states = lax.scan(step, (state0, jnp.zeros((), state0.dtype)), None, length=n_steps)
    return jnp.concatenate([state0[None], states])

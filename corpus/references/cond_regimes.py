# jaxify: skip-file
"""Hand-written JAX: jnp.where for elementwise regimes, lax.switch for matrix regimes."""
import jax.numpy as jnp
from jax import lax


def volatility_step(state, drift, threshold):
    vol = jnp.std(state)
    rate = jnp.where(vol > threshold, -0.5, jnp.where(vol < 0.1 * threshold, 1.0, 0.1))
    return state + rate * drift


def mixing_update(A, x):
    s = jnp.mean(x)
    index = jnp.select([s > 1.0, s < -1.0], [0, 1], 2)
    return lax.switch(index, (lambda: A @ x, lambda: A.T @ x, lambda: 0.5 * (A @ x + A.T @ x)))


def tax_owed(incomes):
    return jnp.where(
        incomes > 100000.0,
        0.4 * (incomes - 100000.0) + 20000.0,
        jnp.where(incomes > 20000.0, 0.25 * (incomes - 20000.0), 0.0),
    )


def thermostat(temps, setpoint, band):
    return jnp.where(temps < setpoint - band, 1.0, jnp.where(temps > setpoint + band, -1.0, 0.0))

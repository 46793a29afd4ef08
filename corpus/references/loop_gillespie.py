# jaxify: skip-file
"""Hand-written JAX: a while_loop over events carrying time, population and key; it stops at
extinction, at t_end or after max_events."""
import jax
import jax.numpy as jnp
from jax import lax


def birth_death(n0, birth_rate, death_rate, t_end, max_events, key):
    def keep_going(state):
        _, n, event, done, _ = state
        return ~done & (event < max_events) & (n > 0)

    def step(state):
        t, n, event, _, key = state
        key, wait_key, choice_key = jax.random.split(key, 3)
        up, total = birth_rate * n, (birth_rate + death_rate) * n
        t = t + jax.random.exponential(wait_key) / total
        late = t > t_end
        birth = jax.random.uniform(choice_key) * total < up
        n = jnp.where(late, n, jnp.where(birth, n + 1, n - 1))
        return t, n, event + 1, late, key

    state = (jnp.asarray(0.0), jnp.asarray(n0), 0, jnp.asarray(False), key)
    return lax.while_loop(keep_going, step, state)[1]

# jaxify: skip-file
"""Hand-written JAX: the table row by row in a lax.scan. Within a row, the cell to the left adds 1
per step, so the row is j + running minimum of (candidate[k] - k) (lax.cummin) over the
candidates from the row above."""
import jax.numpy as jnp
from jax import lax


def edit_distance(s, t):
    n = t.shape[0]
    columns = jnp.arange(n + 1, dtype=jnp.float64)

    def next_row(previous, i_and_symbol):
        i, symbol = i_and_symbol
        cost = jnp.where(t == symbol, 0.0, 1.0)
        from_above_or_diagonal = jnp.minimum(previous[1:] + 1.0, previous[:-1] + cost)
        candidates = jnp.concatenate([i[None], from_above_or_diagonal])
        row = columns + lax.cummin(candidates - columns)
        return row, None

    rows = jnp.arange(1, s.shape[0] + 1, dtype=jnp.float64)
    last, _ = lax.scan(next_row, columns, (rows, s))
    return last[n]

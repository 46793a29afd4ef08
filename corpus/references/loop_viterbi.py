# jaxify: skip-file
"""Hand-written JAX: a forward lax.scan whose step is a max/argmax over the previous scores plus
the transition matrix, and a reverse lax.scan through the back-pointers."""
import jax.numpy as jnp
from jax import lax


def viterbi(log_start, log_trans, log_emit, observations):
    def forward(score, symbol):
        candidates = score[:, None] + log_trans
        return jnp.max(candidates, axis=0) + log_emit[:, symbol], jnp.argmax(candidates, axis=0)

    final, back = lax.scan(forward, log_start + log_emit[:, observations[0]], observations[1:])

    def backward(state, pointers):
        previous = pointers[state]
        return previous, previous

    last = jnp.argmax(final)
    _, earlier = lax.scan(backward, last, back, reverse=True)
    return jnp.concatenate([earlier, last[None]]), jnp.max(final)

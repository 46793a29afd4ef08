# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_classifier.py."""
import jax
import jax.numpy as jnp


def logsumexp(z, axis=-1):
    return jax.scipy.special.logsumexp(z, axis=axis)


def softmax(z, axis=-1):
    return jax.nn.softmax(z, axis=axis)


def cross_entropy(logits, labels):
    log_probs = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None], axis=1))


def accuracy(logits, labels):
    return jnp.mean(jnp.argmax(logits, axis=1) == labels)


def one_hot(labels, n_classes):
    return jax.nn.one_hot(labels, n_classes, dtype=jnp.float64)


def hinge_loss(scores, labels, margin=1.0):
    n = scores.shape[0]
    correct = jnp.take_along_axis(scores, labels[:, None], axis=1)
    return (jnp.sum(jnp.maximum(0.0, scores - correct + margin)) - n * margin) / n

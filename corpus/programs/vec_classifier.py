"""A softmax classifier's forward pass and losses, vectorised over a batch."""
import numpy as np


def logsumexp(z, axis=-1):
    top = np.max(z, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(z - top), axis=axis))


def softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def cross_entropy(logits, labels):
    """Mean negative log-likelihood; ``labels`` are integer class indices."""
    n = logits.shape[0]
    log_probs = logits - logsumexp(logits)[:, None]
    return -np.mean(log_probs[np.arange(n), labels])


def accuracy(logits, labels):
    return np.mean(np.argmax(logits, axis=1) == labels)


def one_hot(labels, n_classes):
    return (labels[:, None] == np.arange(n_classes)[None, :]).astype(np.float64)


def hinge_loss(scores, labels, margin=1.0):
    n = scores.shape[0]
    correct = scores[np.arange(n), labels][:, None]
    losses = np.maximum(0.0, scores - correct + margin)
    return (np.sum(losses) - n * margin) / n

# jaxify: skip-file
"""Example inputs for corpus/programs/vec_classifier.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(5)
    logits = rng.normal(0.0, 3.0, size=(32, 5))
    labels = rng.integers(0, 5, size=32)
    return {
        "logsumexp": [(logits,), (logits, 0)],
        "softmax": [(logits,), (logits, 0)],
        "cross_entropy": [(logits, labels)],
        "accuracy": [(logits, labels)],
        "one_hot": [(labels, 5)],
        "hinge_loss": [(logits, labels), (logits, labels, 0.5)],
    }


STATIC_ARGNAMES = {"one_hot": ("n_classes",), "logsumexp": ("axis",), "softmax": ("axis",)}

# jaxify: skip-file
"""Example inputs for corpus/programs/random_dropout.py."""
import numpy as np

STATIC_ARGNAMES = {"keep_mask": ("shape",)}


def jaxify_examples():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(6, 5))
    w1, w2 = rng.normal(size=(5, 32)), rng.normal(size=(32, 3))  # 2**32 masks: no repeated outputs
    return {
        "dropout": [(x, 0.3)],
        "dropout_mlp": [(x, w1, w2, 0.5)],
        "keep_mask": [((4, 6), 0.7)],
        "masked_noise": [(x, 0.6, 0.5)],
    }

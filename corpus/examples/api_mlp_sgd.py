# jaxify: skip-file
"""Example inputs for corpus/programs/api_mlp_sgd.py: a 3-8-2 network and a batch of 16."""
import numpy as np


def _params(seed):
    rng = np.random.default_rng(seed)
    return {
        "w1": rng.normal(size=(3, 8)) / np.sqrt(3.0),
        "b1": np.zeros(8),
        "w2": rng.normal(size=(8, 2)) / np.sqrt(8.0),
        "b2": rng.normal(size=2),
    }


def jaxify_examples():
    rng = np.random.default_rng(11)
    x, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    params = _params(12)
    return {
        "predict": [(params, x)],
        "loss": [(params, x, y)],
        "sgd_update": [(params, x, y, 0.05), (_params(13), x, y, 0.5)],
        "weight_decay": [(params, 1e-3)],
        "parameter_count": [(params,)],
    }

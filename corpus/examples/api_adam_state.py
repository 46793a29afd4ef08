# jaxify: skip-file
"""Example inputs for corpus/programs/api_adam_state.py: nested parameter trees."""
import numpy as np

STATIC_ARGNAMES = {"adam_update": ("count",)}


def _tree(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"dense": {"w": scale * rng.normal(size=(4, 3)), "b": scale * rng.normal(size=3)}, "out": [scale * rng.normal(size=5)]}


def jaxify_examples():
    params, grads = _tree(21), _tree(22, 3.0)
    m, v = _tree(23, 0.1), {"dense": {"w": np.full((4, 3), 0.2), "b": np.full(3, 0.3)}, "out": [np.full(5, 0.1)]}
    return {
        "init_state": [(params,)],
        "global_norm": [(grads,)],
        "clip_by_global_norm": [(grads, 1.0), (grads, 100.0)],
        "adam_update": [(params, grads, m, v, 0, 1e-3, 0.9, 0.999, 1e-8), (params, grads, m, v, 7, 1e-2, 0.8, 0.99, 1e-6)],
        "scaled_copy": [(params, 0.5)],
        "leaf_count": [(params,)],
    }

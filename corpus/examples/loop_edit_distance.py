# jaxify: skip-file
"""Example inputs for corpus/programs/loop_edit_distance.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(2)
    s = rng.integers(0, 4, 90)
    t = s.copy()
    t[rng.integers(0, 90, 15)] = rng.integers(0, 4, 15)
    t = np.concatenate([t[:40], rng.integers(0, 4, 7), t[50:]])
    kitten, sitting = np.array([10, 8, 19, 19, 4, 13]), np.array([18, 8, 19, 19, 8, 13, 6])
    return {"edit_distance": [(s, t), (kitten, sitting)]}

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


def jaxify_benchmark_examples():
    # two 300-base reads (a short-read sequencer's length) differing by substitutions and an indel
    rng = np.random.default_rng(3)
    s = rng.integers(0, 4, 300)
    t = s.copy()
    t[rng.integers(0, 300, 30)] = rng.integers(0, 4, 30)
    t = np.concatenate([t[:150], rng.integers(0, 4, 12), t[160:]])
    return {"edit_distance": [(s, t)]}

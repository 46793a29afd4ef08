# jaxify: skip-file
"""Example inputs for corpus/programs/loop_pairwise_distances.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(13)
    return {"distance_matrix": [(rng.normal(size=(120, 3)), rng.normal(size=(150, 3))), (np.zeros((1, 2)), np.ones((2, 2)))]}


def jaxify_benchmark_examples():
    # 200 query points against 250 reference points in 3-D
    rng = np.random.default_rng(14)
    return {"distance_matrix": [(rng.normal(size=(200, 3)), rng.normal(size=(250, 3)))]}

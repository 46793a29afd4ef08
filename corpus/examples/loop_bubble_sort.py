# jaxify: skip-file
"""Example inputs for corpus/programs/loop_bubble_sort.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(5)
    values = rng.normal(size=120)
    nearly_sorted = np.sort(values)
    nearly_sorted[[10, 11]] = nearly_sorted[[11, 10]]
    return {"bubble_pass": [(values,), (nearly_sorted,), (np.array([3.0, 1.0, 2.0]),)],
            "bubble_sort": [(values,), (nearly_sorted,), (np.array([3.0, 1.0, 2.0]),)]}


def jaxify_benchmark_examples():
    # sorting a thousand readings; one pass over 10^5 (a pass is linear, a sort quadratic)
    rng = np.random.default_rng(6)
    return {"bubble_pass": [(rng.normal(size=100000),)], "bubble_sort": [(rng.normal(size=1000),)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_rejection_sampling.py."""

STATIC_ARGNAMES = {"sample_semicircle": ("n",)}


def jaxify_examples():
    return {"sample_semicircle": [(200,)]}


def jaxify_benchmark_examples():
    # 10^4 samples, enough for a histogram
    return {"sample_semicircle": [(10000,)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_rejection_sampling.py."""

STATIC_ARGNAMES = {"sample_semicircle": ("n",)}


def jaxify_examples():
    return {"sample_semicircle": [(200,)]}

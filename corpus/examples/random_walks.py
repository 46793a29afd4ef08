# jaxify: skip-file
"""Example inputs for corpus/programs/random_walks.py."""

STATIC_ARGNAMES = {"random_walk": ("n_steps", "n_walkers"), "barrier_fraction": ("n_steps", "n_walkers")}


def jaxify_examples():
    return {"random_walk": [(50, 20)], "barrier_fraction": [(100, 50, 8.0)]}

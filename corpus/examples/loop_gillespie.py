# jaxify: skip-file
"""Example inputs for corpus/programs/loop_gillespie.py."""

STATIC_ARGNAMES = {"birth_death": ("max_events",)}


def jaxify_examples():
    return {"birth_death": [(20, 1.0, 1.1, 2.0, 2000)]}

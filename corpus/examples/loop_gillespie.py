# jaxify: skip-file
"""Example inputs for corpus/programs/loop_gillespie.py."""

STATIC_ARGNAMES = {"birth_death": ("max_events",)}


def jaxify_examples():
    return {"birth_death": [(20, 1.0, 1.1, 2.0, 2000)]}


def jaxify_benchmark_examples():
    # a population of 1000 near balance over 10 time units: about 20,000 events
    return {"birth_death": [(1000, 1.0, 1.0, 10.0, 100000)]}

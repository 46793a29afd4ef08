# jaxify: skip-file
"""Example inputs for corpus/programs/loop_simulated_annealing.py."""

STATIC_ARGNAMES = {"anneal": ("n_steps",)}


def jaxify_examples():
    return {"energy": [(0.3,), (-1.5,)], "anneal": [(2.0, 300, 5.0, 0.5)]}


def jaxify_benchmark_examples():
    # 20,000 annealing steps, a short run for a one-dimensional landscape
    return {"anneal": [(2.0, 20000, 5.0, 0.5)]}

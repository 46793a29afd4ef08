# jaxify: skip-file
"""Example inputs for corpus/programs/random_monte_carlo.py."""

STATIC_ARGNAMES = {"estimate_pi": ("n_samples",), "power_integral": ("n_samples",)}


def jaxify_examples():
    return {"estimate_pi": [(2000,)], "power_integral": [(2.0, 100)]}

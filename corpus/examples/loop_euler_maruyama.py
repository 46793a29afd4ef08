# jaxify: skip-file
"""Example inputs for corpus/programs/loop_euler_maruyama.py."""

STATIC_ARGNAMES = {"ou_paths": ("n_steps", "n_paths")}


def jaxify_examples():
    return {"ou_paths": [(0.5, 2.0, 0.3, 0.8, 0.01, 100, 50)]}

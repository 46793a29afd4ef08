# jaxify: skip-file
"""Example inputs for corpus/programs/loop_euler_maruyama.py."""

STATIC_ARGNAMES = {"ou_paths": ("n_steps", "n_paths")}


def jaxify_examples():
    return {"ou_paths": [(0.5, 2.0, 0.3, 0.8, 0.01, 100, 50)]}


def jaxify_benchmark_examples():
    # 1000 paths over 1000 steps of dt = 0.01 (ten mean-reversion times), a small Monte Carlo study
    return {"ou_paths": [(0.5, 2.0, 0.3, 0.8, 0.01, 1000, 1000)]}

# jaxify: skip-file
"""Example inputs for corpus/programs/loop_wave_equation.py."""
import numpy as np

STATIC_ARGNAMES = {"wave_1d": ("n_steps",)}


def jaxify_examples():
    x = np.linspace(0.0, 1.0, 200)
    pulse = np.exp(-200.0 * (x - 0.5) ** 2)
    return {"wave_1d": [(pulse, 1.0, 0.004, x[1] - x[0], 150), (pulse[:5], 1.0, 0.1, 0.25, 2)]}


def jaxify_benchmark_examples():
    # 400 grid points over 500 steps at Courant number 0.8
    x = np.linspace(0.0, 1.0, 400)
    pulse = np.exp(-200.0 * (x - 0.5) ** 2)
    return {"wave_1d": [(pulse, 1.0, 0.8 * (x[1] - x[0]), x[1] - x[0], 500)]}

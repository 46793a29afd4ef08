# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_particles.py: particles that hit the walls."""
import numpy as np

STATIC_ARGNAMES = {"step": ("n_steps",)}


def jaxify_examples():
    rng = np.random.default_rng(5)
    pos = rng.random((30, 2))
    vel = rng.normal(size=(30, 2))
    return {
        "step": [(pos, vel, 0.1, 12), (pos[:3], vel[:3], 0.5, 3)],
        "kinetic_energy": [(vel, 2.0), (vel[:1], 0.5)],
    }

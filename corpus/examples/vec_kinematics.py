# jaxify: skip-file
"""Example inputs for corpus/programs/vec_kinematics.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(11)
    positions = rng.normal(0.0, 1e3, size=(64, 3))
    velocities = rng.normal(0.0, 5.0, size=(64, 3))
    masses = rng.uniform(1e8, 1e10, size=64)  # pair products stay within float32's range
    return {
        "center_of_mass": [(positions, masses)],
        "kinetic_energy": [(velocities, masses)],
        "angular_momentum": [(positions, velocities, masses)],
        "potential_energy": [(positions, masses), (positions[:8], masses[:8], 10.0)],
    }

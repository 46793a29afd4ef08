# jaxify: skip-file
"""Example inputs for corpus/programs/inplace_image_stencil.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(3)
    return {
        "box_blur": [(rng.random((40, 48)),), (np.eye(5),)],
        "threshold_in_place": [(rng.random((64, 64)), 0.5), (rng.normal(size=(3, 4)), 0.0)],
    }

# jaxify: skip-file
"""Example inputs for corpus/programs/vec_image_filters.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(13)
    yy, xx = np.mgrid[0:48, 0:40]
    img = np.exp(-((xx - 20.0) ** 2 + (yy - 24.0) ** 2) / 150.0) + 0.05 * rng.normal(size=(48, 40))
    return {
        "normalize": [(img,)],
        "laplacian": [(img,)],
        "gradient_magnitude": [(img,)],
        "box_blur": [(img, 1), (img, 3)],
        "threshold_fraction": [(img, 0.5)],
    }


STATIC_ARGNAMES = {"box_blur": ("radius",)}

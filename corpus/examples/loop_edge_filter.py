# jaxify: skip-file
"""Example inputs for corpus/programs/loop_edge_filter.py."""
import numpy as np


def jaxify_examples():
    y, x = np.mgrid[0:64, 0:80] / 64.0
    image = (np.hypot(x - 0.6, y - 0.5) < 0.3).astype(float) + 0.05 * np.sin(20.0 * x)
    return {"edge_magnitude": [(image, 0.2), (np.eye(3), 0.1)]}


def jaxify_benchmark_examples():
    # a 256 x 256 greyscale image, a common size for test images
    y, x = np.mgrid[0:256, 0:256] / 256.0
    image = (np.hypot(x - 0.6, y - 0.5) < 0.3).astype(float) + 0.05 * np.sin(20.0 * x)
    return {"edge_magnitude": [(image, 0.2)]}

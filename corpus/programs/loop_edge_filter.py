"""An edge filter: central-difference gradient magnitude at interior pixels, thresholded; border
pixels are skipped by index checks."""
import numpy as np


def edge_magnitude(image, threshold):
    h, w = image.shape
    edges = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            if i == 0 or j == 0 or i == h - 1 or j == w - 1:
                continue
            gx = image[i, j + 1] - image[i, j - 1]
            gy = image[i + 1, j] - image[i - 1, j]
            magnitude = np.sqrt(gx * gx + gy * gy)
            if magnitude > threshold:
                edges[i, j] = magnitude
    return edges

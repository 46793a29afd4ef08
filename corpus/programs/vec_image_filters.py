"""Image filters on 2-D float arrays, written with padding and slicing instead of loops."""
import numpy as np


def normalize(img):
    lo, hi = np.min(img), np.max(img)
    return (img - lo) / (hi - lo)


def laplacian(img):
    p = np.pad(img, 1, mode="edge")
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4.0 * img


def gradient_magnitude(img):
    gy, gx = np.gradient(img)
    return np.hypot(gx, gy)


def box_blur(img, radius):
    size = 2 * radius + 1
    p = np.pad(img, radius, mode="reflect")
    summed = np.cumsum(np.cumsum(p, axis=0), axis=1)
    summed = np.pad(summed, ((1, 0), (1, 0)))
    total = summed[size:, size:] - summed[:-size, size:] - summed[size:, :-size] + summed[:-size, :-size]
    return total / size ** 2


def threshold_fraction(img, level):
    return np.count_nonzero(img > level) / img.size

"""8-bit images: unsigned arithmetic wraps around in NumPy."""
import numpy as np


def brighten(img, amount):
    img = np.asarray(img, dtype=np.uint8)
    out = img + np.uint8(amount)
    return out


def invert(img):
    img = np.asarray(img, dtype=np.uint8)
    out = np.zeros_like(img)
    for i in range(img.shape[0]):
        out[i] = 255 - img[i]
    return out


def difference(a, b):
    a = np.asarray(a, dtype=np.uint8)
    b = np.asarray(b, dtype=np.uint8)
    return a - b

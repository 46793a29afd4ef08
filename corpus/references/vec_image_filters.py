# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_image_filters.py."""
import jax.numpy as jnp


def normalize(img):
    lo, hi = jnp.min(img), jnp.max(img)
    return (img - lo) / (hi - lo)


def laplacian(img):
    p = jnp.pad(img, 1, mode="edge")
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4.0 * img


def gradient_magnitude(img):
    gy, gx = jnp.gradient(img)
    return jnp.hypot(gx, gy)


def box_blur(img, radius):
    size = 2 * radius + 1
    p = jnp.pad(img, radius, mode="reflect")
    summed = jnp.pad(jnp.cumsum(jnp.cumsum(p, axis=0), axis=1), ((1, 0), (1, 0)))
    total = summed[size:, size:] - summed[:-size, size:] - summed[size:, :-size] + summed[:-size, :-size]
    return total / size ** 2


def threshold_fraction(img, level):
    return jnp.count_nonzero(img > level) / img.size

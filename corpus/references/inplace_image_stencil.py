# jaxify: skip-file
"""Hand-written JAX: the blur is a sum of shifted views; the in-place threshold returns the new image."""
import jax.numpy as jnp


def box_blur(image):
    interior = (image[:-2, 1:-1] + image[2:, 1:-1] + image[1:-1, :-2] + image[1:-1, 2:]
                + image[1:-1, 1:-1]) / 5.0
    return image.at[1:-1, 1:-1].set(interior)


def threshold_in_place(image, level):
    return jnp.where(image < level, 0.0, image)

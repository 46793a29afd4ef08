# jaxify: skip-file
"""Hand-written JAX: the gradients as shifted slices of the interior, thresholded with jnp.where,
the zero border padded back on."""
import jax.numpy as jnp


def edge_magnitude(image, threshold):
    gx = image[1:-1, 2:] - image[1:-1, :-2]
    gy = image[2:, 1:-1] - image[:-2, 1:-1]
    magnitude = jnp.sqrt(gx * gx + gy * gy)
    return jnp.pad(jnp.where(magnitude > threshold, magnitude, 0.0), 1)

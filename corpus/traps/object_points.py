"""A list of Python objects indexed inside a loop, next to array code."""
import numpy as np


class Particle:
    def __init__(self, w, x):
        self.w = w
        self.x = x


def weights(particles):
    out = np.zeros(len(particles))
    for i in range(len(particles)):
        out[i] = particles[i].w
    return out / np.sum(out)


def heaviest(particles):
    ws = np.array([p.w for p in particles])
    return particles[int(np.argmax(ws))].x

"""Shapes, lengths and split points: host integers, even when computed with NumPy."""
import numpy as np


def n_cells(x):
    shape = x.shape
    return np.prod(shape)


def split_points(x, lengths):
    edges = np.cumsum(lengths)[:-1]
    return np.split(x, edges)


def block_means(x, block):
    n = x.shape[0] // block
    means = np.zeros(n)
    for i in np.arange(n):
        means[i] = np.mean(x[i * block:(i + 1) * block])
    return means


def grown_shape(x):
    return np.add(x.shape, 1)


def doubled_shape(x):
    return np.array(x.shape) * 2

"""Config-driven helpers: shapes and factors come from a dict of plain Python values."""
import numpy as np


def grid_size(config):
    shape = config["shape"]
    return np.prod(shape)


def scale_factors(config):
    factors = config["factors"]
    total = np.sum(factors)
    return [f / total for f in factors]


def make_grid(config):
    n = np.prod(config["shape"])
    grid = np.arange(n).reshape(config["shape"])
    for i in range(grid.shape[0]):
        grid[i] = grid[i] * config["factors"][i % len(config["factors"])]
    return grid

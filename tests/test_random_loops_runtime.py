"""Draws inside `for i in range(...)` loops take per-iteration keys (``fold_in(loop_key, i)``):
under `jax.jit` the rewritten loops draw from NumPy's distributions, with independent iterations.

The fixture randomness/loop_draw_per_iteration is run as written (NumPy, seeded) and as rewritten
(jitted, with a fixed key, under JAX's key-reuse checker); a two-sample Kolmogorov-Smirnov test
compares the samples, and the lag-one correlation of successive draws checks that the iterations'
keys are independent (a reused or shared key would correlate them perfectly).
"""

from __future__ import annotations

import functools

import jax
import numpy as np
import pytest
from scipy import stats

from harness import FIXTURES, load_module
from test_randomness_runtime import key_reuse_checking

CASE = FIXTURES / "randomness" / "loop_draw_per_iteration"
ALPHA = 1e-3
N = 4000


@functools.lru_cache(maxsize=None)
def _modules():
    original = load_module(CASE.with_suffix(".py").read_text(encoding="utf-8"), "original")
    rewritten = load_module(CASE.with_name(CASE.name + ".expected.py").read_text(encoding="utf-8"), "rewritten")
    return original, rewritten


def _rewritten(name: str, *args, static=(0,)):
    _, rewritten = _modules()
    with key_reuse_checking():
        result = jax.jit(getattr(rewritten, name), static_argnums=static)(*args, key=jax.random.key(7))
        return np.asarray(result)


def _same_distribution(expected: np.ndarray, actual: np.ndarray) -> None:
    assert stats.ks_2samp(expected, actual).pvalue > ALPHA


def _uncorrelated_neighbours(values: np.ndarray) -> None:
    r = np.corrcoef(values[:-1], values[1:])[0, 1]
    assert abs(r) < 5 / np.sqrt(values.size), r


def test_bootstrap_means_keep_their_distribution():
    original, _ = _modules()
    data = np.random.default_rng(3).exponential(size=60)
    np.random.seed(0)
    expected = original.bootstrap_means(data, N)
    actual = _rewritten("bootstrap_means", data, N, static=(1,))
    _same_distribution(expected, actual)
    _uncorrelated_neighbours(actual)


def test_path_increments_keep_their_distribution_and_independence():
    original, _ = _modules()
    np.random.seed(1)
    expected = np.diff(original.noisy_path(N, 0.7))
    actual = np.diff(_rewritten("noisy_path", N, 0.7))
    _same_distribution(expected, actual)
    _uncorrelated_neighbours(actual)


def test_two_draws_per_step_keep_their_distribution():
    original, _ = _modules()
    np.random.seed(2)
    expected = original.two_draws_per_step(N)
    actual = _rewritten("two_draws_per_step", N)
    _same_distribution(expected, actual)
    _uncorrelated_neighbours(actual)


@pytest.mark.parametrize("name,args", [("noisy_path", (N, 0.7)), ("two_draws_per_step", (N,))])
def test_another_key_draws_other_numbers(name, args):
    _, rewritten = _modules()
    first = jax.jit(getattr(rewritten, name), static_argnums=0)(*args, key=jax.random.key(7))
    second = jax.jit(getattr(rewritten, name), static_argnums=0)(*args, key=jax.random.key(8))
    assert not np.allclose(np.asarray(first), np.asarray(second))


def test_state_dependent_draws_stay_in_the_loop_and_keep_their_distribution():
    original, _ = _modules()
    np.random.seed(3)

    def standardised_steps(path):
        return np.diff(path) / (0.1 * np.abs(path[:-1]))

    expected = standardised_steps(original.state_dependent_noise(N))
    actual = standardised_steps(_rewritten("state_dependent_noise", N))
    _same_distribution(expected, actual)
    _uncorrelated_neighbours(actual)

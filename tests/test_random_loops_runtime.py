"""Draws inside `for i in range(...)` loops: batched before the loop where they read nothing the
loop changes, per-iteration keys (``fold_in(loop_key, i)``) otherwise. Under `jax.jit` the
rewritten loops draw from NumPy's distributions, with independent iterations.

Every randomness fixture with a ``<case>.examples.py`` sidecar is checked as ``jaxify verify``
checks a random function: the original (NumPy, seeded) and the rewrite (jitted, one key per run,
under JAX's key-reuse checker) are run over many seeds and keys and compared by distribution,
element by element and by per-run mean and spread. The fixture randomness/loop_draw_per_iteration
is also run at a larger size, as written and as rewritten: a two-sample Kolmogorov-Smirnov test
compares the samples, and the lag-one correlation of successive draws checks that the iterations'
keys are independent (a reused or shared key would correlate them perfectly).
"""

from __future__ import annotations

import functools

import jax
import numpy as np
import pytest
from scipy import stats

from harness import FIXTURES, examples_of, load_module
from jaxify.verify.worker import check_function
from test_randomness_runtime import key_reuse_checking

CASE = FIXTURES / "randomness" / "loop_draw_per_iteration"
SIDECARS = sorted((FIXTURES / "randomness").glob("*.examples.py"))
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


def _examples_of_every_sidecar():
    for sidecar in SIDECARS:
        for name in examples_of(sidecar).calls:
            yield pytest.param(sidecar, name, id=f"{sidecar.name.removesuffix('.examples.py')}.{name}")


@pytest.mark.parametrize("sidecar,name", list(_examples_of_every_sidecar()))
def test_rewrite_draws_from_the_originals_distribution_under_jit(sidecar, name):
    case = sidecar.with_name(sidecar.name.replace(".examples.py", ".py"))
    rewritten_path = case.with_name(case.stem + ".expected.py")
    examples = examples_of(sidecar)
    original = load_module(case.read_text(encoding="utf-8"), "original")
    rewritten = load_module(rewritten_path.read_text(encoding="utf-8"), "rewritten")
    job = {"hypothesis": 0, "precision": "keep", "key_name": "key", "timing": False, "gradient": False,
           "rewritten": str(rewritten_path)}
    calls = [(args, {}) for args in examples.calls[name]]
    result = check_function(job, {"name": name, "line": 1}, original, rewritten, calls, "examples", examples.static)
    assert result["random"] and result["inputs"] == 1, result
    assert result["equivalent"], result["findings"]

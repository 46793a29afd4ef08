"""The rewritten randomness runs under `jax.jit` and draws from NumPy's distributions.

For each supported sampler, a one-line legacy function is rewritten by jaxify, jitted and run;
its samples are compared with NumPy's by a two-sample test at a fixed significance: the
Kolmogorov-Smirnov test for continuous distributions, and for discrete ones the exact support
(an off-by-one bound shows up as a value NumPy never draws) plus a chi-square test of the counts.
With 20,000 samples each, a scale off by 10% or a shifted bound fails. Seeds are fixed, so
every run draws the same numbers. Rewritten code also runs under JAX's key-reuse checker.
"""

from __future__ import annotations

import contextlib

import jax
import numpy as np
import pytest
from scipy import stats

from harness import FIXTURES, load_module, rewrite

N = 20_000
ALPHA = 1e-3
FLAGS = ["--select", "JX2", "--unsafe"]

CONTINUOUS = [
    "np.random.rand(n)",
    "np.random.randn(n)",
    "np.random.random(n)",
    "np.random.uniform(-1.0, 3.0, n)",
    "np.random.normal(1.5, 2.0, size=n)",
    "np.random.standard_normal(n)",
    "np.random.exponential(2.0, n)",
    "np.random.standard_exponential(n)",
    "np.random.gamma(2.0, 3.0, n)",
    "np.random.standard_gamma(0.5, n)",
    "np.random.beta(2.0, 5.0, n)",
    "np.random.laplace(1.0, 2.0, n)",
    "np.random.logistic(1.0, 2.0, n)",
    "np.random.gumbel(1.0, 2.0, n)",
    "np.random.lognormal(0.5, 0.25, n)",
    "np.random.chisquare(3.0, n)",
    "np.random.standard_t(5.0, n)",
    "np.random.f(3.0, 4.0, n)",
    "np.random.standard_cauchy(n)",
    "np.random.pareto(3.0, n)",
    "np.random.weibull(1.5, n)",
    "np.random.wald(1.0, 2.0, n)",
    "np.random.rayleigh(2.0, n)",
    "np.random.triangular(0.0, 1.0, 3.0, n)",
    "np.random.power(2.0, n)",
    "np.random.default_rng(0).normal(-2.0, 0.5, n)",
    "np.random.default_rng(0).random(n)",
    "np.random.RandomState(0).logistic(0.5, 3.0, n)",
]
DISCRETE = [
    "np.random.randint(1, 7, n)",
    "np.random.randint(6, size=n)",
    "np.random.random_integers(1, 6, n)",
    "np.random.binomial(10, 0.3, n)",
    "np.random.poisson(2.5, n)",
    "np.random.geometric(0.4, n)",
    "np.random.negative_binomial(5, 0.4, n)",
    "np.random.choice(5, n)",
    "np.random.choice(4, n, p=[0.1, 0.2, 0.3, 0.4])",
    "np.random.choice([2, 4, 8], size=n)",
    "np.random.default_rng(0).integers(1, 6, n, endpoint=True)",
    "np.random.default_rng(0).integers(6, size=n)",
    "np.random.default_rng(0).integers(-3, 3, size=n)",
    "np.random.RandomState(0).randint(0, 2, n)",
]


@contextlib.contextmanager
def key_reuse_checking():
    previous = jax.config.jax_debug_key_reuse
    jax.config.update("jax_debug_key_reuse", True)
    try:
        yield
    finally:
        jax.config.update("jax_debug_key_reuse", previous)


def legacy_module(expression: str) -> str:
    """A legacy function drawing ``n`` values; a Generator / RandomState is held in a variable."""
    if ".default_rng(0)." in expression or ".RandomState(0)." in expression:
        constructor, call = expression.split(").", 1)
        return f"import numpy as np\n\n\ndef draw(n):\n    rng = {constructor})\n    return rng.{call}\n"
    return f"import numpy as np\n\n\ndef draw(n):\n    return {expression}\n"


def samples(expression: str) -> tuple[np.ndarray, np.ndarray]:
    """(NumPy's samples, the rewritten code's samples under jit)."""
    source = legacy_module(expression)
    result = rewrite(source, FLAGS)
    assert result.changed and not result.failed, [f.format() for f in result.findings]
    np.random.seed(0)
    expected = np.asarray(load_module(source).draw(N))
    rewritten = load_module(result.rewritten)
    with key_reuse_checking():
        if "key" in rewritten.draw.__code__.co_varnames:
            actual = jax.jit(rewritten.draw, static_argnums=0)(N, key=jax.random.key(1))
        else:
            actual = jax.jit(rewritten.draw, static_argnums=0)(N)
    return expected, np.asarray(actual)


@pytest.mark.parametrize("expression", CONTINUOUS)
def test_continuous_distribution_matches_numpy(expression):
    expected, actual = samples(expression)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    assert stats.ks_2samp(expected, actual).pvalue > ALPHA


@pytest.mark.parametrize("expression", DISCRETE)
def test_discrete_distribution_matches_numpy(expression):
    expected, actual = samples(expression)
    assert actual.shape == expected.shape and actual.dtype.kind == expected.dtype.kind == "i"
    assert actual.min() >= expected.min() and set(np.unique(actual)) <= set(np.unique(expected)) | set(
        range(expected.min(), expected.max() + 1)
    ) or _long_tail(expected), (np.unique(expected), np.unique(actual))
    if expected.max() - expected.min() < 10:  # a bounded support must match exactly
        np.testing.assert_array_equal(np.unique(actual), np.unique(expected))
    # chi-square on the counts, the tail beyond NumPy's 99th percentile pooled into one bin
    cut = int(np.quantile(expected, 0.99))
    values = np.arange(expected.min(), cut + 1)
    table = np.array([[np.sum(np.minimum(x, cut + 1) == v) for v in [*values, cut + 1]] for x in (expected, actual)])
    table = table[:, table.sum(axis=0) > 0]
    assert stats.chi2_contingency(table).pvalue > ALPHA


def _long_tail(values: np.ndarray) -> bool:
    return values.max() - values.min() >= 10


def test_multivariate_draws_match_numpy_marginals_and_correlation():
    mean, cov = "[1.0, -1.0]", "[[2.0, 0.8], [0.8, 1.0]]"
    expected, actual = samples(f"np.random.multivariate_normal({mean}, {cov}, size=n)")
    assert actual.shape == expected.shape == (N, 2)
    for column in range(2):
        assert stats.ks_2samp(expected[:, column], actual[:, column]).pvalue > ALPHA
    np.testing.assert_allclose(np.corrcoef(actual.T)[0, 1], np.corrcoef(expected.T)[0, 1], atol=0.03)

    expected, actual = samples("np.random.dirichlet([1.0, 2.0, 3.0], n)")
    assert actual.shape == expected.shape == (N, 3)
    for column in range(3):
        assert stats.ks_2samp(expected[:, column], actual[:, column]).pvalue > ALPHA

    expected, actual = samples("np.random.multinomial(10, [0.2, 0.3, 0.5], size=n)")
    assert actual.shape == expected.shape == (N, 3) and actual.dtype.kind == "i"
    assert np.all(actual.sum(axis=1) == 10)
    for column in range(3):
        table = np.array([np.bincount(x[:, column], minlength=11) for x in (expected, actual)])
        table = table[:, table.sum(axis=0) > 0]
        assert stats.chi2_contingency(table).pvalue > ALPHA


def test_permutations_and_choice_without_replacement_are_valid():
    for expression in ("np.random.permutation(n)", "np.random.choice(n, n, replace=False)"):
        _, actual = samples(expression)
        np.testing.assert_array_equal(np.sort(actual), np.arange(N))


def test_the_key_reuse_checker_is_active():
    """The checks above would be empty if the checker were off: reusing a key must raise."""
    with key_reuse_checking(), pytest.raises(Exception, match="(?i)reuse|consumed"):
        key = jax.random.key(0)
        jax.random.normal(key)
        jax.random.normal(key)


def _rewritten_fixture(name: str):
    return load_module((FIXTURES / "randomness" / f"{name}.expected.py").read_text(encoding="utf-8"))


def test_threaded_helpers_and_loops_reuse_no_key():
    module = _rewritten_fixture("nested_helpers")
    with key_reuse_checking():
        first, second = module.simulate(20, seed=0), module.simulate(20, seed=1)
    assert first.shape == (3,) and not np.allclose(first, second)


def test_class_holding_a_key_draws_fresh_numbers_each_call():
    module = _rewritten_fixture("class_random_state")
    layer = module.Dropout(0.5, seed=0)
    x = np.ones((4000,))
    with key_reuse_checking():
        a, b = np.asarray(layer(x)), np.asarray(layer(x))
        noisy = np.asarray(layer.noise(np.zeros(3)))
    assert set(np.unique(a)) == {0.0, 2.0} and not np.array_equal(a, b)
    assert abs(a.mean() - 1.0) < 0.1 and noisy.shape == (3,)


def test_every_legacy_call_fixture_traces_under_jit_with_numpy_shapes_and_dtypes():
    """All mappings in one jitted function: traced (not compiled, which is slow for the gamma
    family and is done per distribution above), checked against NumPy's shapes and dtypes."""
    source = (FIXTURES / "randomness" / "legacy_calls.py").read_text(encoding="utf-8")
    original = load_module(source)
    rewritten = _rewritten_fixture("legacy_calls")
    args = (4, np.zeros(2), 1.5, np.array([0.5, 0.5]), np.arange(2), np.eye(2))
    np.random.seed(0)
    expected = original._draws(*args)
    with key_reuse_checking():
        actual = jax.eval_shape(jax.jit(rewritten._draws, static_argnums=0), *args, key=jax.random.key(0))
    assert len(actual) == len(expected)
    for index, (e, a) in enumerate(zip(expected, actual)):
        e = np.asarray(e)
        assert a.shape == e.shape and np.dtype(a.dtype).kind == e.dtype.kind, (index, a.shape, e.shape, a.dtype, e.dtype)

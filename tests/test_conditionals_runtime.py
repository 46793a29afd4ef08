"""The conditional and jit rewrites compute what the original computed.

Each fixture's original functions (Python ``if`` on concrete jax arrays, run eagerly) are compared
with the rewritten functions run under ``jax.jit``, on inputs that take every branch. The
double-where rewrite is also differentiated where the naive ``jnp.where`` gives NaN gradients.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.experimental import checkify

from harness import FIXTURES, assert_same, examples_of, load_module, rewrite
from test_fixtures import flags_of

# Each fixture's inputs (together they take every branch) come from its <case>.examples.py sidecar.
RUNTIME_FIXTURES = sorted(
    path.relative_to(FIXTURES).as_posix().removesuffix(".examples.py")
    for family in ("conditionals", "jit", "inplace")
    for path in (FIXTURES / family).glob("*.examples.py")
    if path.with_name(path.name.replace(".examples.py", ".expected.py")).exists()
)


@functools.lru_cache(maxsize=None)
def _modules(fixture: str):
    """(original module, rewritten module) of a fixture, rewritten once per test session."""
    case = FIXTURES / f"{fixture}.py"
    source = case.read_text(encoding="utf-8")
    result = rewrite(source, flags_of(source), path=case.name)
    assert result.changed and not result.failed, result.findings
    return load_module(source, "original"), load_module(result.rewritten, "rewritten")


@pytest.mark.parametrize("fixture", RUNTIME_FIXTURES)
def test_rewritten_matches_original_under_jit(fixture):
    original, rewritten = _modules(fixture)
    examples = examples_of(FIXTURES / f"{fixture}.examples.py")
    for function, inputs in examples.calls.items():
        compiled = getattr(rewritten, function) if function in examples.jitted_by_the_rewrite else jax.jit(
            getattr(rewritten, function), static_argnames=examples.static.get(function, ())
        )
        for args in inputs:
            args = examples.arguments(args)
            assert_same(getattr(original, function)(*args), compiled(*args), path=function)


def test_original_fails_under_jit_and_rewrite_does_not():
    original, rewritten = _modules("conditionals/where_elif")
    with pytest.raises(jax.errors.TracerBoolConversionError):
        jax.jit(original.piecewise)(jnp.asarray(0.5))
    assert_same(original.piecewise(jnp.asarray(0.5)), jax.jit(rewritten.piecewise)(jnp.asarray(0.5)))


@pytest.mark.parametrize("function,points", [("safe_log", [-1.0, 0.0, 2.0]), ("sqrt_region", [-4.0, 0.5, 2.0, 4.0, 9.0])])
def test_double_where_gradient_is_finite(function, points):
    original, rewritten = _modules(
        "conditionals/where_assign" if function == "safe_log" else "conditionals/where_elif"
    )
    gradient = jax.jit(jax.grad(getattr(rewritten, function)))
    for point in points:
        value = gradient(jnp.asarray(point))
        assert np.isfinite(value), f"{function}'{point} = {value}"
        # the original differentiates fine eagerly: one branch runs
        assert_same(jax.grad(getattr(original, function))(jnp.asarray(point)), value)


def test_double_where_keeps_integer_dtype():
    original, rewritten = _modules("conditionals/where_assign")
    for d in (3, 0, -4):
        expected = original.safe_ratio(jnp.asarray(d))
        actual = jax.jit(rewritten.safe_ratio)(jnp.asarray(d))
        assert jnp.asarray(actual).dtype == jnp.asarray(expected).dtype == jnp.int64
        assert_same(expected, actual)


def test_single_where_would_give_nan_gradient():
    """The reason for the double where: the naive rewrite has a NaN gradient at x = 0."""
    naive = jax.grad(lambda x: jnp.where(x > 0, jnp.log(x), 0.0))
    assert np.isnan(naive(jnp.asarray(0.0)))


def test_checkify_keeps_the_raise_condition():
    original, rewritten = _modules("conditionals/raise_checkify_unsafe")
    checked = checkify.checkify(jax.jit(rewritten.checked_sqrt))
    error, value = checked(jnp.asarray([1.0, 4.0]))
    error.throw()  # no error on valid input
    assert_same(original.checked_sqrt(jnp.asarray([1.0, 4.0])), value)
    with pytest.raises(ValueError):
        original.checked_sqrt(jnp.asarray([-1.0, 4.0]))
    error, _ = checked(jnp.asarray([-1.0, 4.0]))
    with pytest.raises(checkify.JaxRuntimeError, match="negative input"):
        error.throw()


def test_debug_print_prints_what_print_printed(capsys):
    original, rewritten = _modules("jit/print_in_jit")
    x = jnp.asarray([1.0, 2.0, 3.0])
    original.report(x, 3)
    printed = capsys.readouterr().out
    result = rewritten.report(x, 3)
    jax.effects_barrier()
    assert capsys.readouterr().out == printed
    assert_same(original.report(x, 3), result)

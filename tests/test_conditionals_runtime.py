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

from harness import FIXTURES, assert_same, load_module, rewrite
from test_fixtures import flags_of

RNG = np.random.default_rng(8)
VEC = RNG.normal(size=5)
MAT = RNG.normal(size=(5, 5))

# fixture -> function -> (static argnames, argument tuples that together take every branch)
CASES = {
    "conditionals/where_assign": {
        "safe_log": ((), [(2.5,), (-1.0,), (0.0,)]),
        "scaled": ((), [(3.0,), (0.25,)]),
    },
    "conditionals/where_return": {
        "huber": ((), [(0.3, 1.0), (-4.0, 1.0), (2.0, 0.5)]),
        "soft_sign": ((), [(2.0,), (-3.0,)]),
        "pair": ((), [(-2.0,), (5.0,)]),
    },
    "conditionals/where_elif": {
        "piecewise": ((), [(-3.0,), (0.5,), (2.0,)]),
        "tiers": ((), [(200.0,), (50.0,), (1.0,)]),
        "sqrt_region": ((), [(9.0,), (2.0,), (-4.0,)]),
    },
    "conditionals/where_prior_value": {
        "clip_high": ((), [(5.0, 2.0), (1.0, 2.0)]),
        "swap_if_less": ((), [(1.0, 2.0), (3.0, 2.0)]),
        "sum_positive": ((), [(VEC,)]),
    },
    "conditionals/cond_form": {
        "normalize": ((), [(VEC, 1e-3), (np.zeros(5), 1e-3)]),
        "project": ((), [(MAT, np.abs(VEC)), (MAT, -np.abs(VEC))]),
    },
    "conditionals/switch_chain": {
        "regime": ((), [(MAT, np.abs(VEC) + 1.0), (MAT, -np.abs(VEC) - 1.0), (MAT, VEC * 0.1)]),
    },
    "conditionals/ifexp": {
        "relu": ((), [(1.5,), (-1.5,)]),
        "inv_or_zero": ((), [(4.0,), (0.0,)]),
        "pick": ((), [(MAT, np.abs(VEC)), (MAT, -np.abs(VEC))]),
    },
    "conditionals/bool_ops": {
        "inside": ((), [(0.5, 0.0, 1.0), (2.0, 0.0, 1.0)]),
        "outside": ((), [(0.5, 0.0, 1.0), (-2.0, 0.0, 1.0)]),
        "invalid": ((), [(1.0,), (np.inf,)]),
        "band": ((), [(0.5,), (1.5,), (-0.5,)]),
    },
    "conditionals/static_head_traced_elif": {
        "activation": (("kind",), [(2.0, "relu"), (-2.0, "relu"), (-2.0, "linear")]),
    },
    "conditionals/loop_body": {
        "threshold": ((), [(VEC, 0.1), (VEC, -5.0)]),
    },
    "conditionals/hoist_and_rebind": {
        "soft_threshold": ((), [(VEC, 0.5)]),
        "huber_total": ((), [(3.0 * VEC, 1.0)]),
        "decay": ((), [(VEC, 0.5), (20.0 + VEC, 0.5)]),
        "keep_large": ((), [(VEC, 0.5)]),
        "leaky": ((), [(VEC, 0.1)]),
    },
    "jit/wrap_static": {
        "smooth": (None, [(VEC, 3)]),
        "energy": (None, [(VEC, "sum"), (VEC, "mean")]),
        "loss": (None, [(VEC, VEC[::-1])]),
    },
    "jit/static_propagation": {
        "solve": (None, [(VEC, 3)]),
        "grid": (None, [(2.0, 4)]),
        "loss_grad": (None, [(VEC, MAT)]),
        "bump": (None, [(VEC, 2)]),
        "peaks": (None, [(np.abs(VEC) / 3.0, 4)]),
    },
    "jit/static_from_lax": {
        "doubling": (None, [(1.5, 4)]),
        "ramp": (None, [(0.5, 2, 7)]),
        "zeros_plus": (None, [(2.0, 3)]),
    },
}


@functools.lru_cache(maxsize=None)
def _modules(fixture: str):
    """(original module, rewritten module) of a fixture, rewritten once per test session."""
    case = FIXTURES / f"{fixture}.py"
    source = case.read_text(encoding="utf-8")
    result = rewrite(source, flags_of(source), path=case.name)
    assert result.changed and not result.failed, result.findings
    return load_module(source, "original"), load_module(result.rewritten, "rewritten")


def _as_jax(args):
    return tuple(jnp.asarray(a) if isinstance(a, (float, np.ndarray)) else a for a in args)


@pytest.mark.parametrize(
    "fixture,function",
    [(fixture, function) for fixture, functions in CASES.items() for function in functions],
    ids=lambda value: value,
)
def test_rewritten_matches_original_under_jit(fixture, function):
    original, rewritten = _modules(fixture)
    static, inputs = CASES[fixture][function]
    # None: the function was wrapped in jax.jit by --jit itself.
    compiled = getattr(rewritten, function) if static is None else jax.jit(
        getattr(rewritten, function), static_argnames=static
    )
    for args in inputs:
        expected = getattr(original, function)(*_as_jax(args))
        assert_same(expected, compiled(*_as_jax(args)))


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

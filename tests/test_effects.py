"""One effects table: what a call does besides computing its result, and which functions are pure."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from jaxify.analysis import analyze
from jaxify.analysis.effects import Effect
from jaxify.config import Options


def _analysis(source: str):
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    return analyze(wrapper, Options())


def _effects(expression: str, prelude: str = "") -> frozenset[Effect]:
    analysis = _analysis(f"import numpy as np\nimport jax\nimport jax.numpy as jnp\nimport random\n{prelude}\nresult = {expression}\n")
    call = analysis.module.body[-1].body[0].value
    return analysis.effects.effects_of(call)


@pytest.mark.parametrize(
    "expression,expected",
    [
        ("np.sin(x)", {Effect.HOST_NUMPY}),
        ("np.random.normal()", {Effect.HOST_NUMPY, Effect.GLOBAL_RANDOM}),
        ("np.savez('f', x)", {Effect.HOST_NUMPY, Effect.IO}),
        ("np.fromfile('f')", {Effect.HOST_NUMPY, Effect.IO}),
        ("np.putmask(x, m, 0)", {Effect.HOST_NUMPY, Effect.WRITES_ARGUMENT}),
        ("np.add.at(x, i, 1)", {Effect.HOST_NUMPY, Effect.WRITES_ARGUMENT}),
        ("np.seterr(all='ignore')", {Effect.HOST_NUMPY, Effect.GLOBAL_STATE}),
        ("jnp.sin(x)", set()),
        ("jax.random.normal(key)", set()),
        ("jax.debug.print('{}', x)", {Effect.HOST_CALLBACK}),
        ("random.random()", {Effect.GLOBAL_RANDOM}),
        ("print(x)", {Effect.IO}),
        # the same answer for every codemod: comparisons need a concrete value, sums do not
        ("min(a, b)", {Effect.CONCRETE}),
        ("max(a, b)", {Effect.CONCRETE}),
        ("sum(xs)", set()),
        ("round(x)", set()),
        ("float(x)", {Effect.CONCRETE}),
        ("x.item()", {Effect.CONCRETE}),
        ("x.sum()", set()),
        ("x.at[0].add(1.0)", set()),
        ("items.append(x)", {Effect.MUTATES_RECEIVER}),
        ("seen.add(x)", {Effect.MUTATES_RECEIVER}),
        ("x.sort()", {Effect.MUTATES_RECEIVER}),
        ("x.frobnicate()", {Effect.UNKNOWN}),
        ("mystery(x)", {Effect.UNKNOWN}),
    ],
)
def test_effects_of_a_call(expression, expected):
    assert _effects(expression) == expected


PROGRAM = """
import functools
import jax
import jax.numpy as jnp
import numpy as np

LOG = []

def loss(w, x):
    return jnp.sum((x @ w) ** 2)

def noisy(w):
    print(w)
    return w

def logs(w):
    LOG.append(w)
    return w

def writes(a):
    a[0] = 1.0
    return a

def calls_pure(w, x):
    return helper(w) + loss(w, x)

def helper(w):
    return jnp.tanh(w)

def calls_noisy(w):
    return noisy(w) * 2

def even(n):
    return n == 0 or odd(n - 1)

def odd(n):
    return n != 0 and even(n - 1)

def numpy_only(x):
    return float(np.mean(x))

@jax.jit
def jitted(w):
    return helper(w)

@some_registry
def registered(w):
    return w

grad_loss = jax.grad(loss)
jit_noisy = jax.jit(noisy)
scaled = functools.partial(loss, 2.0)
square = lambda v: v * v
shout = lambda v: print(v)

def nested(w):
    def inner(v):
        print(v)
    return jax.vmap(inner)(w)
"""


@pytest.mark.parametrize(
    "name,pure",
    [
        ("loss", True), ("noisy", False), ("logs", False), ("writes", False), ("calls_pure", True),
        ("helper", True), ("calls_noisy", False), ("numpy_only", True), ("jitted", True),
        ("registered", False), ("grad_loss", True), ("jit_noisy", False), ("scaled", True),
        ("square", True), ("shout", False), ("nested", False), ("missing", False),
        # mutual recursion: the guard assumes impure while a body is judged, so it terminates
        ("even", False), ("odd", False),
    ],
)
def test_is_pure_through_helpers_transforms_and_lambdas(name, pure):
    assert _analysis(PROGRAM).effects.is_pure(name) is pure


def test_a_call_of_a_transformed_function_is_as_pure_as_the_function():
    assert _effects("jax.grad(f)(w)", "def f(w):\n    return w * w\n") == frozenset()
    assert _effects("jax.vmap(g)(w)", "def g(w):\n    print(w)\n") == {Effect.UNKNOWN}

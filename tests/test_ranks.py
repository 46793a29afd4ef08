"""jaxify.analysis.ranks: the rank of a name where the function's own text proves it, else None."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from jaxify.analysis.ranks import FunctionRanks

RESOLVED = {"np": "numpy", "jnp": "jax.numpy"}


def resolve(node):
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in RESOLVED:
        return f"{RESOLVED[node.value.value]}.{node.attr.value}"
    if isinstance(node, cst.Name) and node.value in ("len", "range"):
        return f"builtins.{node.value}"
    return None


def ranks_of(body: str) -> FunctionRanks:
    function = cst.parse_module(textwrap.dedent(body)).body[0]
    return FunctionRanks(function, resolve)


SOURCE = """
def f(image, u, table, steps, shape):
    h, w = image.shape
    n = u.shape[0]
    grid = np.zeros((h, w))
    line = np.empty(n)
    like = np.zeros_like(image)
    copied = like.copy()
    shrunk = jnp.ones(len(u) - 2)
    counted = np.zeros(steps)
    shaped = np.zeros(shape)
    mixed = np.zeros(n)
    mixed = np.zeros((n, n))
    updated = np.zeros(n)
    updated = jnp.asarray(updated)
    updated = updated.at[0].set(1.0)
    table = table.copy()
    summed = line + line
    for t in range(steps):
        pass
"""


@pytest.mark.parametrize("name, rank", [
    ("image", 2),  # a parameter whose shape is unpacked into two names
    ("grid", 2), ("line", 1), ("like", 2), ("copied", 2), ("shrunk", 1),
    ("counted", 1),  # `steps` is passed to range: an integer
    ("updated", 1),  # conversions and `.at` updates of itself keep the rank
])
def test_known_ranks(name, rank):
    assert ranks_of(SOURCE).rank(name) == rank


@pytest.mark.parametrize("name", [
    "u",  # a parameter: only its first axis is read
    "table",  # a copy of a parameter of unknown rank
    "shaped",  # np.zeros(shape) with `shape` possibly a tuple
    "mixed",  # bound to two ranks
    "summed",  # arithmetic: not followed
    "t",  # a loop variable
    "missing",
])
def test_unknown_ranks(name):
    assert ranks_of(SOURCE).rank(name) is None


@pytest.mark.parametrize("expression, size", [
    ("h", True), ("len(u)", True), ("u.shape[0]", True), ("3", True),
    ("steps", False),  # a parameter may be negative
    ("n - 1", False), ("-1", False),
])
def test_sizes(expression, size):
    assert ranks_of(SOURCE).is_size(cst.parse_expression(expression)) is size


@pytest.mark.parametrize("expression, integer", [
    ("t", True),  # the target of `for t in range(steps)`
    ("t + 1", True), ("n - 1", True), ("h", True),
    ("steps", True),  # a parameter passed to range
    ("-t", True), ("u", False), ("shape", False), ("line", False),
])
def test_integers(expression, integer):
    assert ranks_of(SOURCE).is_int(cst.parse_expression(expression)) is integer


@pytest.mark.parametrize("name, once", [
    ("image", True), ("table", True),  # a parameter, and a parameter rebound to a copy of itself
    ("updated", True),  # conversions and `.at` updates of itself do not count
    ("copied", True),
    ("mixed", False),  # bound twice
    ("t", True), ("missing", False),
])
def test_bound_once(name, once):
    assert ranks_of(SOURCE).bound_once(name) is once

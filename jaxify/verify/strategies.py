"""Hypothesis strategies for a function's arguments, guided by how the original uses them.

When no example or captured call exists, arguments are generated: static parameters (from the
analysis, declared static argnames, or their use as ``range(n)`` / a shape / a slice bound) become
small ints; a parameter used inside another one's subscript (``x[idx]``) becomes an int index array
that may repeat positions; other parameters become float64 arrays whose rank is the widest
subscript they get (``a[i, j]`` -> 2) or the highest ``.shape[k]`` they are asked for. All arrays
share their leading sizes, so shapes agree the way legacy code assumes.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jaxify import python_ast

_SHAPE_FUNCTIONS = {"zeros", "ones", "empty", "full", "arange", "reshape", "eye", "identity", "linspace",
                    "range", "randn", "rand", "normal", "uniform", "integers", "randint", "standard_normal"}

MAX_SIZE = 5
FLOATS = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)


@dataclasses.dataclass
class ParameterUse:
    rank: int = 0
    static: bool = False
    index_of: bool = False  # used inside the subscript of another array
    arraylike: bool = False


def parameter_uses(function_source: str, params: list[str]) -> dict[str, ParameterUse]:
    """How each parameter is used in the function's own code (no inference across calls)."""
    tree = python_ast.parse(textwrap.dedent(function_source))
    uses = {name: ParameterUse() for name in params}
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            base = _name(node.value)
            if base in uses:
                width = len(node.slice.elts) if isinstance(node.slice, ast.Tuple) else 1
                uses[base].rank = max(uses[base].rank, width)
                uses[base].arraylike = True
            for inner in ast.walk(node.slice):
                inner_name = _name(inner)
                if inner_name in uses and inner_name != base:
                    if isinstance(inner, ast.Name) and _inside_slice_bound(node.slice, inner):
                        uses[inner_name].static = True
                    else:
                        uses[inner_name].index_of = True
        elif isinstance(node, ast.Attribute) and node.attr == "shape":
            base = _name(node.value)
            if base in uses:
                uses[base].arraylike = True
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else _name(node.func)
            if called in _SHAPE_FUNCTIONS:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("shape", "size"))]:
                    for name in _bare_names(arg):  # `n` in zeros(n + 1), not `x` in zeros(x.shape)
                        if name in uses:
                            uses[name].static = True
    for node in ast.walk(tree):  # x.shape[k] asks for rank k + 1
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape":
            base = _name(node.value.value)
            if base in uses and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
                uses[base].rank = max(uses[base].rank, node.slice.value + 1 if node.slice.value >= 0 else 1)
    return uses


def _name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _bare_names(expression: ast.AST) -> set[str]:
    """Names used as values themselves, not as the object of an attribute or a subscript."""
    objects = {id(node.value) for node in ast.walk(expression) if isinstance(node, (ast.Attribute, ast.Subscript))}
    return {node.id for node in ast.walk(expression) if isinstance(node, ast.Name) and id(node) not in objects}


def _inside_slice_bound(index: ast.AST, name: ast.Name) -> bool:
    for node in ast.walk(index):
        if isinstance(node, ast.Slice):
            for bound in (node.lower, node.upper, node.step):
                if bound is not None and any(inner is name for inner in ast.walk(bound)):
                    return True
    return False


def call_strategy(function, function_source: str, static_argnames: tuple[str, ...]):
    """A strategy of ``(args, kwargs)`` for ``function``, or None if a parameter cannot be generated."""
    signature = inspect.signature(function)
    params = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    uses = parameter_uses(function_source, [p.name for p in params])

    @st.composite
    def calls(draw):
        n = draw(st.integers(1, MAX_SIZE))
        m = draw(st.integers(1, MAX_SIZE))
        args = []
        for param in params:
            use = uses[param.name]
            default = param.default
            if param.name in static_argnames or use.static and not use.arraylike or isinstance(default, int) and not isinstance(
                    default, bool) and not use.arraylike:
                if isinstance(default, bool):
                    args.append(draw(st.booleans()))
                else:
                    args.append(draw(st.integers(0, n)))
            elif use.index_of:
                length = draw(st.integers(1, n + 2))
                args.append(draw(hnp.arrays(np.int64, (length,), elements=st.integers(0, n - 1))))
            elif isinstance(default, float) and not use.arraylike:
                args.append(draw(FLOATS))
            elif default is not inspect.Parameter.empty and not isinstance(default, (int, float)):
                args.append(default)
            else:
                shape = (n, m, 3, 2)[: max(use.rank, 1)]
                args.append(draw(hnp.arrays(np.float64, shape, elements=FLOATS)))
        return tuple(args), {}

    if any(p.kind in (p.VAR_POSITIONAL,) for p in signature.parameters.values()):
        return None
    return calls()

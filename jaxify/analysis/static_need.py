"""Whether a value the module treats as a Python value could be traced instead.

A parameter is static by the value analysis when every call in the module passes it a literal
(``scale_rows(x, 2.0)``). Making it a static argument of ``jax.jit`` is then right for the
module's own calls, but a static argument compiles again for every new value and rejects arrays
(unhashable), which callers outside the module may pass. Where every use of the parameter only
feeds array arithmetic (``x[i] * factor``, ``y *= factor``), a traced value computes the same
(Python scalars are weakly typed, so they keep the array's dtype either way) and nothing needs it
concrete: it stays a traced argument.

Likewise an integer cast of a traced value, ``b = int((x[i] - lo) / width)``, whose result only
indexes arrays and feeds ``if`` tests (``only_indexes``) can stay a traced integer
(``jnp.astype(..., int)``): nothing outside the function's array computation sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

from jaxify.analysis.values import Kind

# `**` is left out: Python's `2 ** -1` is 0.5 where an integer array's power refuses or truncates.
_ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo)
_SIGNS = (cst.Minus, cst.Plus)


def only_feeds_arrays(function: cst.FunctionDef, param: str, children: Callable[[cst.CSTNode], object],
                      kind_of: Callable[[cst.CSTNode], Kind]) -> bool:
    """True when every use of ``param`` in ``function``'s body (nested functions included) is an
    operand of arithmetic whose whole expression is an array, or the value of ``array op= param``."""
    used = False
    for name, parents in _names(function.body, children):
        if name.value != param:
            continue
        if _rebinds(name, parents):
            return False
        if not _feeds_array(name, parents, kind_of):
            return False
        used = True
    return used


def _with_ancestors(root: cst.CSTNode, children) -> Iterator[tuple[cst.CSTNode, list[cst.CSTNode]]]:
    """Every node under ``root``, in source order, with its ancestors, nearest last."""
    stack: list[tuple[cst.CSTNode, list[cst.CSTNode]]] = [(root, [])]
    while stack:
        node, parents = stack.pop()
        yield node, parents
        below = [*parents, node]
        stack.extend((child, below) for child in reversed(list(children(node))))


def _names(root: cst.CSTNode, children) -> Iterator[tuple[cst.Name, list[cst.CSTNode]]]:
    """Every Name under ``root`` with its ancestors, nearest last."""
    return ((node, parents) for node, parents in _with_ancestors(root, children) if isinstance(node, cst.Name))


def _rebinds(name: cst.Name, parents: list[cst.CSTNode]) -> bool:
    """The name is bound here (a nested function's parameter, an assignment or loop target...)."""
    parent = parents[-1] if parents else None
    if isinstance(parent, (cst.Param, cst.AssignTarget, cst.NameItem, cst.AsName)):
        return True
    if isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.target is name:
        return True
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is name:
        return True
    return isinstance(parent, cst.NamedExpr) and parent.target is name


def _feeds_array(name: cst.Name, parents: list[cst.CSTNode], kind_of) -> bool:
    expression: cst.CSTNode = name
    index = len(parents) - 1
    while index >= 0 and _is_arithmetic(parents[index]):
        expression = parents[index]
        index -= 1
    if expression is not name:
        return kind_of(expression) is Kind.ARRAY
    parent = parents[index] if index >= 0 else None
    return isinstance(parent, cst.AugAssign) and parent.value is name and kind_of(parent.target) is Kind.ARRAY


def _is_arithmetic(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, _ARITHMETIC)
    return isinstance(node, cst.UnaryOperation) and isinstance(node.operator, _SIGNS)


# Where an integer cast of a traced value may stay a traced integer: its arithmetic, its comparisons
# (an `if` on them is a traced condition, which the conditional and loop codemods lower or refuse).
_INDEX_ARITHMETIC = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget, cst.BooleanOperation)


def only_indexes(function: cst.FunctionDef, name: str, binding: cst.Assign,
                 children: Callable[[cst.CSTNode], object]) -> bool:
    """True when ``binding`` (``name = ...``) is ``name``'s only binding in ``function`` and every
    use of ``name`` is an index of an array (``counts[b]``, ``grid[b + 1, j]``) or a test of an
    ``if`` / ``while`` (``if b >= 0 and b < n``), through arithmetic and comparisons: the value never
    leaves the function's array computation (not returned, stored, or passed to a call), so a
    traced integer in place of a Python int changes nothing a caller sees."""
    used = False
    for found, parents in _names(function.body, children):
        if found.value != name:
            continue
        if parents and isinstance(parents[-1], cst.AssignTarget):
            if binding not in parents or len(binding.targets) != 1:
                return False
            continue
        if _rebinds(found, parents) or not _indexes(found, parents):
            return False
        used = True
    return used


def used_in_place_as_index(function: cst.FunctionDef, value: cst.CSTNode,
                           children: Callable[[cst.CSTNode], object]) -> bool:
    """``value`` (an expression of ``function``) is, through arithmetic and comparisons, an index of
    an array or the test of an ``if`` / ``while`` where it stands (``counts[int(v) % 5] += 1``): as
    ``only_indexes``, it never leaves the function's array computation."""
    found = next((parents for node, parents in _with_ancestors(function.body, children) if node is value), None)
    return found is not None and _indexes(value, found)


def _indexes(name: cst.CSTNode, parents: list[cst.CSTNode]) -> bool:
    expression: cst.CSTNode = name
    index = len(parents) - 1
    while index >= 0 and isinstance(parents[index], _INDEX_ARITHMETIC):
        expression = parents[index]
        index -= 1
    if index < 0:
        return False
    parent = parents[index]
    if isinstance(parent, (cst.If, cst.While)):
        return parent.test is expression
    if isinstance(parent, cst.Index) and index >= 2 and isinstance(parents[index - 1], cst.SubscriptElement):
        subscript = parents[index - 2]
        return isinstance(subscript, cst.Subscript) and isinstance(subscript.value, cst.Name)
    return False

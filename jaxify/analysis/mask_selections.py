"""Boolean-mask selections a traced loop body can do without: ``members = x[labels == j]`` used
only as ``len(members)`` and ``members.sum(axis=0)`` / ``members.mean(axis=0)``.

The selection itself has a shape that depends on the data, which no traced body can have; these
uses do not need it: the count is the mask's sum, the sum over the selected rows is the sum of
the rows the mask keeps (``codemods/loop_mask_reductions.py`` writes both). Any other use of the
name (indexing it, passing it on, reading it after the loop, a reduction over another axis)
keeps the selection, and the loop's JX305 names it.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.loop_flow import reads_of
from jaxify.analysis.tree import walk

REDUCTIONS = ("sum", "mean")


@dataclasses.dataclass(frozen=True)
class MaskedSelection:
    name: str  # the selected rows' name: ``members``
    subscript: cst.Subscript  # ``x[labels == j]``, as the loop analysis saw it


def is_mask(index: cst.BaseExpression) -> bool:
    """``x > 0``, ``~(x > 0)``, ``(a > 0) & (b < 1)``: an index that is a boolean mask."""
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.BitInvert):
        return is_mask(index.expression)
    if isinstance(index, cst.BinaryOperation) and isinstance(index.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)):
        return is_mask(index.left) or is_mask(index.right)
    return isinstance(index, cst.Comparison)


def mask_of(subscript: cst.Subscript) -> cst.BaseExpression | None:
    """The mask of ``x[mask]`` (one index, a boolean mask), else None."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    index = subscript.slice[0].slice.value
    return index if is_mask(index) else None


def reduced_use(node: cst.CSTNode, name: str) -> bool:
    """``len(name)``, ``name.sum(axis=0)``, ``name.mean(0)``: a use that needs only the count or the
    sum of the selected rows."""
    if m.matches(node, m.Call(func=m.Name("len"), args=[m.Arg(value=m.Name(name), keyword=None, star="")])):
        return True
    if not m.matches(node, m.Call(func=m.Attribute(value=m.Name(name), attr=m.OneOf(*map(m.Name, REDUCTIONS))))):
        return False
    args = node.args
    return len(args) == 1 and not args[0].star and m.matches(args[0].value, m.Integer("0")) and (
        args[0].keyword is None or args[0].keyword.value == "axis")


def masked_selections(body: Sequence[cst.CSTNode], live_out: set[str],
                      resolve: Callable[[cst.CSTNode], str | None]) -> list[MaskedSelection]:
    """The selections of ``body`` whose every use is a reduced one (see the module docstring);
    ``len`` must be the builtin wherever it counts one."""
    found = []
    # every node of the body at any depth, in the order a visitor meets them: a loop nested in this
    # one is converted first, and this one must accept it too
    nodes = [node for statement in body for node in walk(statement)]
    calls = [node for node in nodes if type(node) is cst.Call]
    for statement in nodes:
        if not _selects(statement):
            continue
        assign = statement.body[0]
        name = assign.targets[0].target.value
        if name in live_out or mask_of(assign.value) is None or name in reads_of(assign.value):
            continue
        uses = [call for call in calls if reduced_use(call, name)]
        if any(isinstance(call.func, cst.Name) and resolve(call.func) != "builtins.len" for call in uses):
            continue
        # every other occurrence of the name (a second assignment, any other read) keeps the selection
        if uses and sum(type(node) is cst.Name and node.value == name for node in nodes) == len(uses) + 1:
            found.append(MaskedSelection(name, assign.value))
    return found


def _selects(statement: cst.CSTNode) -> bool:
    """``name = <subscript>`` as a statement of its own line."""
    if type(statement) is not cst.SimpleStatementLine or len(statement.body) != 1:
        return False
    assign = statement.body[0]
    return (type(assign) is cst.Assign and len(assign.targets) == 1 and type(assign.targets[0].target) is cst.Name
            and type(assign.value) is cst.Subscript)

"""Python's ``min(a, b, ...)`` / ``max(a, b, ...)`` on values a converted loop computes, as selects.

Under tracing these builtins raise: they compare their arguments with ``<`` / ``>`` and need a
concrete ``bool``. Python's ``min`` keeps its first argument and takes a later one only when it is
strictly smaller (``max``: strictly larger), so:

- a NaN first argument wins (nothing is smaller than NaN), a NaN later argument never does;
- ``jnp.minimum`` / ``jnp.maximum`` propagate any NaN, so they differ from Python there.

The rewrite keeps Python's choice: ``jnp.where(jnp.isnan(a), a, jnp.fmin(jnp.fmin(a, b), c))``
(``fmin``/``fmax`` skip a NaN operand, which is exactly what the later arguments get; the first is
kept when it is NaN). On integers ``isnan`` is false and ``fmin`` is ``minimum``. Two zeros of
opposite sign compare equal, so which of them comes back may differ; their values are equal.

A conditional expression ``a if c else b`` whose test reads what the loop varies becomes
``jnp.where(c, a, b)``: both branches are computed and one is kept. The loop analysis has checked
that every call in the body is pure, so computing the branch Python skips has no effect; JAX does
not raise where Python would (an index past the end is clamped, a division by zero gives inf),
and the select discards that value (``values[t + 1] if t + 1 < n else 0.0``).

Only calls whose arguments read what the loop varies are rewritten (a ``min`` of static values
stays Python: it may feed a shape or a ``range``); calls with keywords (``key=``, ``default=``),
one argument (an iterable) or ``*args`` keep blocking the loop. Arguments that are arrays would
make Python's ``min`` raise (an array's truth value is ambiguous); the select then works element
by element where the original failed.
"""

from __future__ import annotations

import libcst as cst

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_blockers import CHOOSERS, is_traced_choice
from jaxify.analysis.loop_flow import reads_of


class ChoicesAsSelects(cst.CSTTransformer):
    """Rewrites the traced ``min``/``max`` calls and ``a if c else b`` of generated loop statements
    (where names no longer resolve: the loop analysis has checked that ``min``/``max`` there are
    the builtins)."""

    def __init__(self, traced: set[str]) -> None:
        self.traced = traced

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        if not set(reads_of(updated_node.test)) & self.traced:
            return updated_node
        parts = [code_of(part.with_changes(lpar=[], rpar=[]))
                 for part in (updated_node.test, updated_node.body, updated_node.orelse)]
        return cst.parse_expression(f"jnp.where({', '.join(parts)})").with_changes(
            lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Name) or not is_traced_choice(updated_node, f"builtins.{func.value}", self.traced):
            return updated_node
        fold = CHOOSERS[f"builtins.{func.value}"]
        operands = [code_of(arg.value) for arg in updated_node.args]
        first = operands[0]
        chosen = first
        for operand in operands[1:]:
            chosen = f"jnp.{fold}({chosen}, {operand})"
        return cst.parse_expression(f"jnp.where(jnp.isnan({first}), {first}, {chosen})")

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

Only calls whose arguments read what the loop varies are rewritten (a ``min`` of static values
stays Python: it may feed a shape or a ``range``); calls with keywords (``key=``, ``default=``),
one argument (an iterable) or ``*args`` keep blocking the loop. Arguments that are arrays would
make Python's ``min`` raise (an array's truth value is ambiguous); the select then works element
by element where the original failed.
"""

from __future__ import annotations

import libcst as cst

from jaxify.analysis.loop_blockers import CHOOSERS, is_traced_choice


class ChoicesAsSelects(cst.CSTTransformer):
    """Rewrites the traced ``min``/``max`` calls of generated loop statements (where names no
    longer resolve: the loop analysis has checked that ``min``/``max`` there are the builtins)."""

    def __init__(self, traced: set[str]) -> None:
        self.traced = traced

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Name) or not is_traced_choice(updated_node, f"builtins.{func.value}", self.traced):
            return updated_node
        fold = CHOOSERS[f"builtins.{func.value}"]
        operands = [cst.Module([]).code_for_node(arg.value) for arg in updated_node.args]
        first = operands[0]
        chosen = first
        for operand in operands[1:]:
            chosen = f"jnp.{fold}({chosen}, {operand})"
        return cst.parse_expression(f"jnp.where(jnp.isnan({first}), {first}, {chosen})")

"""A boolean-mask selection in a converted loop body, counted and summed without selecting.

``members = x[labels == j]`` has as many rows as the mask has true entries: a shape that depends
on the data, which a traced body cannot have. When the body only counts and reduces it over its
first axis (:mod:`jaxify.analysis.mask_selections` checks that), the rewrite keeps the mask and
computes the same values from it:

    members = x[labels == j]             ->   members_mask = labels == j
    len(members)                         ->   jnp.sum(members_mask)
    members.sum(axis=0)                  ->   jnp.sum(jnp.where(<mask over x's rows>, x, 0), axis=<mask's axes>)
    members.mean(axis=0)                 ->   the same sum / jnp.sum(members_mask)

The mask is widened to ``x``'s dimensions with ``jnp.expand_dims`` (a mask over the first ``k``
axes selects along those ``k`` axes, as NumPy's does), and rows it drops are replaced by 0 with
``jnp.where`` before the sum, so a NaN or an infinity in a dropped row stays out of it. An empty
selection gives NumPy's results: a count of 0, a zero sum, and a mean of NaN (0 / 0; NumPy also
warns). The sum adds the kept rows in another order than NumPy's, as every vectorised sum does
(differences in the last bits of floats).
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.mask_selections import mask_of, reduced_use


class MaskedReductions(cst.CSTTransformer):
    """Rewrites the selections named in ``names`` in a loop's generated statements."""

    def __init__(self, names: set[str], fresh: Callable[[str], str]) -> None:
        self.names = names
        self.fresh = fresh
        self.masks: dict[str, tuple[str, str]] = {}  # selection name -> (mask name, selected array)

    def leave_SimpleStatementLine(self, original_node, updated_node: cst.SimpleStatementLine):
        if not m.matches(updated_node, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())])])):
            return updated_node
        assign = updated_node.body[0]
        name = assign.targets[0].target.value
        mask = mask_of(assign.value) if isinstance(assign.value, cst.Subscript) else None
        if name not in self.names or mask is None:
            return updated_node
        mask_name = self.fresh(f"{name}_mask")
        self.masks[name] = (mask_name, code_of(assign.value.value))
        return updated_node.with_changes(body=[cst.parse_statement(f"{mask_name} = {code_of(mask)}\n").body[0]])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        for name, (mask, array) in self.masks.items():
            if not reduced_use(updated_node, name):
                continue
            count = f"jnp.sum({mask})"
            if isinstance(updated_node.func, cst.Name):  # len(name)
                return cst.parse_expression(count)
            rows = f"jnp.expand_dims({mask}, tuple(range(jnp.ndim({mask}), jnp.ndim({array}))))"
            total = f"jnp.sum(jnp.where({rows}, {array}, 0), axis=tuple(range(jnp.ndim({mask}))))"
            reduction = updated_node.func.attr.value
            return cst.parse_expression(total if reduction == "sum" else f"{total} / {count}")
        return updated_node

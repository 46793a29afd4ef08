"""Functions that JAX's control-flow primitives call: loop bodies, loop conditions, branches.

Such a function receives traced values, which are immutable: an augmented assignment to one of its
parameters rebinds the name, and no caller can see a write. The loop and conditional codemods
generate these functions (``def _body(i, carry)`` passed to ``lax.fori_loop``), and users write
them by hand; the mutation analysis reads this fact instead of treating their parameters as
arrays a caller shares.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from jaxify.analysis.tree import TreeIndex, walk


def handed_to_lax(module: cst.Module, functions: list[cst.FunctionDef],
                  qualified_name: Callable[[cst.BaseExpression], str | None],
                  tree: TreeIndex | None = None) -> set[cst.FunctionDef]:
    """The functions passed by name to a ``jax.lax`` call (loop bodies and conditions, branches)."""
    by_name: dict[str, list[cst.FunctionDef]] = {}
    for function in functions:
        by_name.setdefault(function.name.value, []).append(function)
    handed: set[cst.FunctionDef] = set()
    if not by_name:
        return handed
    for node in walk(module, tree):
        if type(node) is cst.Call and (qualified_name(node.func) or "").startswith("jax.lax."):
            for arg in node.args:
                if isinstance(arg.value, cst.Name):
                    handed.update(by_name.get(arg.value.value, ()))
    return handed

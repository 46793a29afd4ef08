"""The x64 switch that keeps NumPy's float64 in rewritten code, shared by the codemods that add it."""

from __future__ import annotations

from typing import Callable

import libcst as cst

X64_SWITCH = 'jax.config.update("jax_enable_x64", True)'


def enables_x64(module: cst.Module, qualified_name: Callable[[cst.CSTNode], str | None]) -> bool:
    """The module switches x64 on at its top level (``jax.config.update("jax_enable_x64", True)``,
    any spelling of the call)."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            call = small.value if isinstance(small, cst.Expr) else None
            if not (isinstance(call, cst.Call) and len(call.args) >= 2):
                continue
            flag = call.args[0].value
            if (qualified_name(call.func) or "").endswith("config.update") and isinstance(flag, cst.SimpleString) and (
                flag.evaluated_value == "jax_enable_x64"
            ):
                return True
    return False

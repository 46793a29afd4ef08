"""The x64 switch that keeps NumPy's float64 in rewritten code, shared by the codemods that add it."""

from __future__ import annotations

from typing import Callable

import libcst as cst

X64_SWITCH = 'jax.config.update("jax_enable_x64", True)'


def insert_x64_switch(module: cst.Module) -> cst.Module:
    """``module`` with the x64 switch right after its leading docstring and imports, set off by a
    blank line on each side (the one place JX607 and JX113 add it; the caller imports ``jax``)."""
    body = list(module.body)
    at = _after_imports(body)
    body.insert(at, cst.parse_statement(X64_SWITCH + "\n").with_changes(leading_lines=[cst.EmptyLine()]))
    if at < len(body) - 1 and not body[at + 1].leading_lines:
        body[at + 1] = body[at + 1].with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=body)


def _after_imports(body: list[cst.CSTNode]) -> int:
    """The index just after the module's leading docstring, comments and imports."""
    at = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0]
        is_docstring = index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
        if isinstance(small, (cst.Import, cst.ImportFrom)) or is_docstring:
            at = index + 1
        else:
            break
    return at


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

"""Whether the imports a codemod asked for are already at the top of the module.

LibCST's ``AddImportsVisitor`` costs three walks of the whole module (a gathering visit that only
reads the top-level statements in the end, a deep copy, the transform), even when every import it
is asked for is already there, which is the common case: every codemod that moves a call to
``jax.numpy`` asks for ``import jax.numpy as jnp`` again. ``already_imported`` reads the same
top-of-module imports the visitor reads (before any other statement, after a docstring) and
applies the visitor's own rules for what counts as present, so the engine can skip the visitor
exactly when it would change nothing. Anything it is unsure of (relative imports, a
``__strict__`` line) counts as missing, and the visitor runs.

When an import is missing, ``add_imports`` runs the visitor on the module's head alone: it reads
and changes only the leading statements up to the first one that is not an import (which it may
give an empty line above), so the rest of the module is put back after it untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.helpers import get_full_name_for_node


def add_imports(context: CodemodContext, module: cst.Module) -> cst.Module:
    """What ``AddImportsVisitor(context).transform_module(module)`` returns (the imports asked of
    ``context`` added), without walking and copying the statements after the module's head."""
    body = list(module.body)
    # the first statement may be a docstring or `__strict__` line the visitor skips: always in the head
    after = next((index for index, statement in enumerate(body) if index > 0 and not _is_import_line(statement)),
                 len(body))
    head = AddImportsVisitor(context).transform_module(module.with_changes(body=body[:after + 1]))
    return module.with_changes(body=[*head.body, *body[after + 1:]])


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], (cst.Import, cst.ImportFrom)))


def _top_imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    body = list(module.body)
    if body and _is_docstring(body[0]):
        body = body[1:]
    found = []
    for statement in body:
        if not _is_import_line(statement):
            break
        found.append(statement.body[0])
    return found


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.SimpleString))


def already_imported(module: cst.Module, wanted: Iterable[ImportItem]) -> bool:
    """True when every item of ``wanted`` is imported, in the same form, at the top of ``module``."""
    plain: set[str] = set()  # import a.b
    aliased: dict[str, str] = {}  # import a.b as c (the last one wins, as in LibCST's gatherer)
    objects: dict[str, set[str]] = {}  # from a import b ("*" for a star import)
    object_aliases: dict[str, set[tuple[str, str]]] = {}  # from a import b as c
    for statement in _top_imports(module):
        if isinstance(statement, cst.Import):
            for name in statement.names:
                if name.asname is None:
                    plain.add(name.evaluated_name)
                else:
                    aliased[name.evaluated_name] = name.evaluated_alias
            continue
        if statement.relative or statement.module is None:
            continue
        source = get_full_name_for_node(statement.module)
        if isinstance(statement.names, cst.ImportStar):
            objects[source] = {"*"}
            continue
        for name in statement.names:
            if name.asname is None:
                objects.setdefault(source, set()).add(name.evaluated_name)
            else:
                object_aliases.setdefault(source, set()).add((name.evaluated_name, name.evaluated_alias))
    for item in wanted:
        if item.relative:
            return False
        module_name, obj, alias = item.module_name, item.obj_name, item.alias
        if obj is None:
            present = aliased.get(module_name) == alias if alias is not None else module_name in plain
        elif alias is None:
            present = bool({"*", obj} & objects.get(module_name, set()))
        else:
            present = (obj, alias) in object_aliases.get(module_name, set())
        if not present:
            return False
    return True

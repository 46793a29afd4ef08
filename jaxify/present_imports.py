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

LibCST's ``RemoveImportsVisitor`` removes an import it was asked to remove only when nothing
refers to it any more; it copies the module and resolves LibCST's scopes on it to find out, and
mostly finds the import still used. ``all_still_referenced`` answers the same question from the
scopes jaxify resolves anyway, so the visitor runs only when it may remove something.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment, MetadataWrapper
from libcst.metadata import scope_provider

from jaxify.analysis.providers import Scopes, kept_tree
from jaxify.analysis.tree import walk

# LibCST's own spelling of the names an import binds (``a.b.c``, ``a.b``, ``a``): a private helper,
# the one its unused-import check reads
_dotted_names = getattr(scope_provider, "_gen_dotted_names", None)


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


def all_still_referenced(wrapper: MetadataWrapper, removals: Collection[tuple[str, str | None, str | None]]) -> bool:
    """True when ``RemoveImportsVisitor``, asked to remove ``removals`` (module, object, alias) from
    ``wrapper``'s module, would keep every import: each import it could remove (a superset of those
    it matches: any ``import m`` of a module named, any ``from ... import o as a`` of an object
    and alias named) still has a reference in its scope, which is what keeps an import there."""
    if _dotted_names is None:
        return False  # a LibCST that spells dotted names otherwise: let its visitor decide
    modules = {module for module, obj, _ in removals if obj is None}
    objects = {(obj, alias) for _, obj, alias in removals if obj is not None}
    scopes = wrapper.resolve(Scopes)
    for node in walk(wrapper.module, kept_tree(wrapper)):
        if type(node) is cst.Import:
            candidates = [alias for alias in node.names if alias.evaluated_name in modules]
        elif type(node) is cst.ImportFrom and not isinstance(node.names, cst.ImportStar):
            candidates = [alias for alias in node.names if (alias.evaluated_name, alias.evaluated_alias) in objects]
        else:
            continue
        scope = scopes.get(node)
        if scope is None:
            continue  # the visitor keeps an import it finds no scope for
        if not all(_referenced(scope, alias) for alias in candidates):
            return False
    return True


def _referenced(scope: scope_provider.Scope, alias: cst.ImportAlias) -> bool:
    """LibCST's ``GatherUnusedImportsVisitor.is_in_use``, less the names exported or named in string
    annotations (which keep an import too: leaving them out only sends more cases to the visitor)."""
    bound = cst.ensure_type(alias.asname.name, cst.Name) if alias.asname is not None else alias.name
    return any(isinstance(assignment, ImportAssignment) and len(assignment.references) > 0
               for name, _ in _dotted_names(bound) for assignment in scope[name])

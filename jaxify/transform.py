"""A transformer's walk that keeps every node it does not change: ``transform(wrapper, transformer)``.

LibCST's ``node.visit(transformer)`` rebuilds every node it passes, changed or not: a new node
object per node, each validated on construction, and a new module even when no hook changed
anything. A codemod's walk then cost more than its hooks, and the engine had to print every
walked module to learn that nothing had changed. ``transform`` calls the same hooks on the same
nodes in the same order, with the same arguments (``leave_X(original, updated)``), and applies
what they return as LibCST does (a ``RemovalSentinel`` drops a node from a sequence, or empties an
optional field; a ``FlattenSentinel`` splices nodes into a sequence; a statement body drops a
statement that a removal inside it left empty), but a node is rebuilt only when one of its
children came back as another object. A walk that changes nothing hands back the very module it
was given, so the engine sees at once that nothing changed (``updated is original`` in a hook
means the same).

A transformer that defines a field hook (``visit_If_test``) is walked by LibCST itself, as
``jaxify.analysis.tree.visit`` does for read-only visitors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import libcst as cst
from libcst.metadata import MetadataWrapper

from jaxify.analysis.providers import kept_tree
from jaxify.analysis.tree import FORMATTING, NODE, SEQUENCE, children, field_hooks, holds, visited_fields, visitor_hooks

# (node class, field name) -> what a RemovalSentinel in that one-node field leaves: None or
# MaybeSentinel.DEFAULT (LibCST's visit_optional and visit_sentinel), or _REQUIRED
_EMPTIED: dict[tuple[type, str], object] = {}
_REQUIRED, _UNKNOWN = object(), object()
# The two statement bodies LibCST visits with visit_body_sequence.
_BODIES = frozenset({(cst.Module, "body"), (cst.IndentedBlock, "body")})


def transform(wrapper: MetadataWrapper, transformer: cst.CSTTransformer) -> cst.Module:
    """``wrapper.visit(transformer)``: the transformed module, ``wrapper.module`` itself when no
    hook changed a node."""
    if field_hooks(type(transformer)):
        return wrapper.visit(transformer)
    # the children of each node, kept by jaxify's wrapper for every walk of its module
    tree = kept_tree(wrapper)
    children_of = tree.children if tree is not None else children
    # A transformer that says so, and has no hook on them, does not enter the formatting nodes
    # (whitespace, comments, punctuation: three in five nodes), which it would hand back
    # unchanged; it is told of each one it passes over instead.
    passed_over = getattr(transformer, "pass_over_formatting", None)
    if passed_over is not None and not visitor_hooks(type(transformer)).skip_formatting:
        passed_over = None
    with transformer.resolve(wrapper):
        result = _visit(wrapper.module, transformer, children_of, passed_over)
    if isinstance(result, cst.RemovalSentinel):  # as LibCST's Module.visit: an empty module
        return wrapper.module.with_changes(body=(), header=(), footer=())
    return result


def _visit(node: cst.CSTNode, transformer: cst.CSTTransformer, children_of: Callable, passed_over: Callable | None):
    updated = node
    if transformer.on_visit(node):
        below = children_of(node)
        visited = []
        changed = False
        for child in below:
            if passed_over is not None and type(child) in FORMATTING:
                passed_over(child)
                visited.append(child)
                continue
            new = _visit(child, transformer, children_of, passed_over)
            visited.append(new)
            changed = changed or new is not child
        if changed:
            updated = _rebuilt(node, visited)
    result = transformer.on_leave(node, updated)
    if result is not updated and not isinstance(result, (cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel)):
        raise cst.CSTValidationError(
            f"Expected a node of type CSTNode or a RemovalSentinel, but got a return value of {type(result).__name__}")
    return result


def _rebuilt(node: cst.CSTNode, visited: list) -> cst.CSTNode:
    """``node`` with its children replaced by what their walks returned (``visited``, in the
    order of ``children(node)``), field by field as LibCST's own walk applies them."""
    changes: dict[str, object] = {}
    position = 0
    for name, value in zip(*visited_fields(node)):
        held = holds(value)
        if held == NODE:
            new = visited[position]
            position += 1
            if new is not value:
                changes[name] = _one_node(node, name, value, new)
        elif held == SEQUENCE:
            news = visited[position:position + len(value)]
            position += len(value)
            if any(new is not child for new, child in zip(news, value)):
                changes[name] = _sequence(node, name, value, news)
    return node.with_changes(**changes)


def _one_node(parent: cst.CSTNode, name: str, child: cst.CSTNode, new):
    if isinstance(new, cst.FlattenSentinel):
        raise TypeError(f"We got a FlattenSentinel while visiting a {type(child).__name__}. This node's parent "
                        "does not allow for it to be it to be replaced with a sequence.")
    if isinstance(new, cst.RemovalSentinel):
        emptied = _emptied(type(parent), name)
        if emptied is _REQUIRED:
            raise TypeError(f"We got a RemovalSentinel while visiting a {type(child).__name__}. This node's "
                            "parent does not allow it to be removed.")
        return emptied
    return new


def _sequence(parent: cst.CSTNode, name: str, children_before, visited) -> tuple:
    """A sequence field's new children, from what the walks of its children returned."""
    body = (type(parent), name) in _BODIES
    kept: list = []
    for child, new in zip(children_before, visited):
        # A statement body drops a statement that a removal inside it left empty (LibCST's
        # visit_body_iterable), so that a removed line does not leave an empty one behind.
        if isinstance(new, cst.FlattenSentinel):
            kept.extend(each for each in new if not (body and not child._is_removable() and each._is_removable()))
        elif not isinstance(new, cst.RemovalSentinel) and not (
                body and not child._is_removable() and new._is_removable()):
            kept.append(new)
    return tuple(kept)


def _emptied(kind: type, name: str) -> object:
    """What a removed child leaves in a one-node field: LibCST visits a field whose default is
    MaybeSentinel.DEFAULT with visit_sentinel, an Optional one with visit_optional, any other as
    required."""
    key = (kind, name)
    found = _EMPTIED.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        field = next(field for field in dataclasses.fields(kind) if field.name == name)
        if field.default is cst.MaybeSentinel.DEFAULT:
            found = cst.MaybeSentinel.DEFAULT
        elif field.default is None or "Optional[" in str(field.type):
            found = None
        else:
            found = _REQUIRED
        _EMPTIED[key] = found
    return found

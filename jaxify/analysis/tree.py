"""Cheaper walks over LibCST trees: ``TreeIndex`` (no rebuilding) and ``SkipsUnusedFieldHooks``.

LibCST finds a node's children (``node.children``) and walks a tree (``node.visit``) by
rebuilding every node it passes, even for a visitor that only reads; in the analyses that walk
each function or statement on their own, that rebuilding was a fifth of the CPU of a pass.
Nodes never change, so each node's children are asked of LibCST once and kept: the walks here
yield the same nodes, in the same order, as ``node.visit`` with a visitor whose ``on_visit``
records every node and returns True.

LibCST also looks up, by name, a hook for every field of every node a visitor passes
(``visit_If_test``) and calls the no-op it finds; visitors and codemods built on
``SkipsUnusedFieldHooks`` (``Visitor`` for one that only reads) do that only if they define a hook.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import ClassVar

import libcst as cst
from libcst._typed_visitor import CSTTypedBaseFunctions


class TreeIndex:
    """The children of every node asked about, computed once (nodes hash by identity)."""

    def __init__(self) -> None:
        self._children: dict[cst.CSTNode, Sequence[cst.CSTNode]] = {}

    def children(self, node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        """``node.children``: its child nodes in source order."""
        found = self._children.get(node)
        if found is None:
            found = self._children[node] = node.children
        return found

    def walk(self, root: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
        """``root`` and every node under it, in the order ``root.visit`` meets them; a node for
        which ``prune`` is true is left out together with everything under it."""
        stack = [root]
        while stack:
            node = stack.pop()
            if prune is not None and prune(node):
                continue
            yield node
            stack.extend(reversed(self.children(node)))

    def visit(self, root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
        """``root.visit(visitor)`` for a read-only visitor: the same ``visit_*`` and ``leave_*``
        hooks on the same nodes in the same order, without rebuilding the tree. A visitor that
        defines a field hook (``visit_If_test``) is run by LibCST."""
        if _field_hooks(type(visitor)):
            root.visit(visitor)
        else:
            self._visit(root, visitor)

    def _visit(self, node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
        if visitor.on_visit(node):
            for child in self.children(node):
                self._visit(child, visitor)
        visitor.on_leave(node)


def visit(tree: TreeIndex | None, root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``root.visit(visitor)``, through ``tree`` when the caller has one (see TreeIndex.visit)."""
    if tree is None:
        root.visit(visitor)
    else:
        tree.visit(root, visitor)


# LibCST's no-op field hooks (``visit_If_test``; ``visit_If`` is a node's own hook).
_NO_OP_FIELD_HOOKS = {name: hook for name, hook in vars(CSTTypedBaseFunctions).items()
                      if callable(hook) and name.count("_") >= 2}


# Weak keys: many visitor classes are defined inside a function and close over its nodes; a
# cache that held them would keep every tree they saw alive (10 MB per 8 KB of source).
_FIELD_HOOKS: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _field_hooks(visitor_class: type) -> bool:
    """Whether the class overrides one of LibCST's no-op field hooks."""
    found = _FIELD_HOOKS.get(visitor_class)
    if found is None:
        found = _FIELD_HOOKS[visitor_class] = any(
            getattr(visitor_class, name, hook) is not hook for name, hook in _NO_OP_FIELD_HOOKS.items())
    return found


class SkipsUnusedFieldHooks:
    """Mixin for a LibCST visitor or transformer: the per-field hook lookup runs only in a class
    that overrides one of LibCST's no-op field hooks."""

    _defines_field_hooks: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._defines_field_hooks = any(getattr(cls, name) is not hook for name, hook in _NO_OP_FIELD_HOOKS.items())

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if self._defines_field_hooks:
            super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if self._defines_field_hooks:
            super().on_leave_attribute(original_node, attribute)


class Visitor(SkipsUnusedFieldHooks, cst.CSTVisitor):
    """A read-only LibCST visitor without the per-field hook lookup (unless it defines a hook)."""

"""Cheaper walks over LibCST trees: ``TreeIndex`` (no rebuilding) and ``SkipsUnusedFieldHooks``.

LibCST finds a node's children (``node.children``) and walks a tree (``node.visit``) by
rebuilding every node it passes, even for a visitor that only reads; in the analyses that walk
each function or statement on their own, that rebuilding was a fifth of the CPU of a pass.
``children(node)`` gives the same list as ``node.children`` without rebuilding: LibCST visits a
node's fields in an order fixed by its class, so the order is learnt once per class (LibCST's walk
of the first node announces each field it visits) and then read off the fields directly.
``visit`` calls a visitor's hooks on the same nodes, in the same order, as ``node.visit``;
``TreeIndex.walk`` yields those nodes less the formatting ones (whitespace, comments,
punctuation: three in five nodes, read by no analysis).

LibCST also looks up, by name, a hook for every field of every node a visitor passes
(``visit_If_test``) and calls the no-op it finds; visitors and codemods built on
``SkipsUnusedFieldHooks`` (``Visitor`` for one that only reads) do that only if they define a hook.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import ClassVar

import libcst as cst
from libcst._typed_visitor import CSTTypedBaseFunctions, CSTTypedTransformerFunctions, CSTTypedVisitorFunctions


class _FieldRecorder(cst.CSTVisitor):
    """Notes the fields LibCST's walk of one node visits, in order, without going below them:
    LibCST announces each field it walks to (``on_visit_attribute``), an empty one too."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.names.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


def _recorded_fields(node: cst.CSTNode) -> tuple[str, ...]:
    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    return tuple(recorder.names)


@dataclasses.dataclass(frozen=True)
class _Visited:
    """The fields of a node class that LibCST's walk visits (``_visit_and_replace_children``), in
    visiting order, learnt from its first node. LibCST visits a field whatever it holds, but a
    few classes skip one that holds nothing (``FormattedStringExpression.format_spec`` when None):
    a node of such a class that holds something there is learnt on its own (``unsure``)."""

    names: tuple[str, ...]
    values: Callable[[cst.CSTNode], tuple]  # the values of those fields, in that order
    unsure: tuple[str, ...]  # the other fields that held None, and might hold nodes in another node

    @classmethod
    def learn(cls, node: cst.CSTNode) -> _Visited:
        names = _recorded_fields(node)
        # (the other fields hold tokens and flags: strings, booleans, whatever the node)
        unsure = tuple(field.name for field in dataclasses.fields(node)
                       if field.name not in names and getattr(node, field.name) is None)
        if not names:
            values = lambda node: ()  # noqa: E731
        elif len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            values = lambda node, name=names[0]: (getattr(node, name),)  # noqa: E731
        else:
            values = operator.attrgetter(*names)
        return cls(names, values, unsure)


_VISITED: dict[type, _Visited] = {}  # node class -> its visited fields
_TOKENS = frozenset({str, type(None)})  # what an unsure field holds when it holds no node


def visited_fields(node: cst.CSTNode) -> tuple[tuple[str, ...], tuple]:
    """The names of the fields LibCST's walk visits on ``node``, in order, and their values."""
    kind = type(node)
    visited = _VISITED.get(kind)
    if visited is None:
        visited = _VISITED[kind] = _Visited.learn(node)
    if visited.unsure and any(type(getattr(node, name)) not in _TOKENS for name in visited.unsure):
        names = _recorded_fields(node)
        return names, tuple(getattr(node, name) for name in names)
    return visited.names, visited.values(node)


# What a visited field holds: nothing (None, MaybeSentinel.DEFAULT), one node, or a sequence of nodes
EMPTY, NODE, SEQUENCE = 0, 1, 2
_NODE_TYPES: set[type] = set()  # node classes met so far


def holds(value: object) -> int:
    kind = type(value)
    if kind in _NODE_TYPES:
        return NODE
    if value is None or kind is cst.MaybeSentinel:
        return EMPTY
    if isinstance(value, cst.CSTNode):
        _NODE_TYPES.add(kind)
        return NODE
    return SEQUENCE


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node.children`` (its child nodes in source order), read off its fields."""
    found: list[cst.CSTNode] = []
    for value in visited_fields(node)[1]:
        kind = type(value)
        if kind is tuple or kind is list:  # the usual sequence, and the usual node (below): holds() inlined
            found.extend(value)
        elif kind in _NODE_TYPES:
            found.append(value)
        else:
            held = holds(value)
            if held == NODE:
                found.append(value)
            elif held == SEQUENCE:
                found.extend(value)
    return found


def content(node: cst.CSTNode, of: Sequence[cst.CSTNode] | None = None) -> list[cst.CSTNode]:
    """``node``'s children but the formatting (``FORMATTING``); ``of``: its children, when known."""
    return [child for child in (children(node) if of is None else of) if type(child) not in FORMATTING]


# Nodes that only lay code out: whitespace, comments, line breaks and punctuation tokens (with
# the whitespace around them). They are three in five of a module's nodes, and no analysis reads
# them through a walk (comments are read from the text: jaxify.suppression), so walks skip them.
FORMATTING = frozenset({
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Newline,
    cst.Comment, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.LeftParen, cst.RightParen,
    cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace,
})


class TreeIndex:
    """The children of every node asked about, computed once (nodes hash by identity)."""

    def __init__(self) -> None:
        # id(node) -> (node, its children): keyed by id, since a CSTNode's own __hash__ is a Python
        # call; the node is kept, so that its id is never another node's: an entry found for a
        # node (alive, as it is being asked about) is that node's
        self._children: dict[int, tuple[cst.CSTNode, Sequence[cst.CSTNode]]] = {}
        self._walks: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}  # id(root) -> (root, walk)
        self._contents: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}  # id(node) -> (node, content)

    def children(self, node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        """``node.children``: its child nodes in source order."""
        entry = self._children.get(id(node))
        if entry is None:
            entry = self._children[id(node)] = (node, children(node))
        return entry[1]

    def clear(self) -> None:
        """Forget every kept answer (they are computed again when asked)."""
        self._children.clear()
        self._walks.clear()
        self._contents.clear()

    def content(self, node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        """``node``'s children but the formatting (``FORMATTING``), which the walks pass over."""
        entry = self._contents.get(id(node))
        if entry is None:
            entry = self._contents[id(node)] = (node, content(node, self.children(node)))
        return entry[1]

    def walk(self, root: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
        """``root`` and every node under it but the formatting (``FORMATTING``), in the order
        ``root.visit`` meets them; a node for which ``prune`` is true is left out together with
        everything under it. The planners walk the same functions and statements again and
        again (ten times each, on average): a whole walk is kept and read back."""
        if prune is None:
            walked = self._walks.get(id(root))
            if walked is not None:
                return iter(walked[1])
        return self._walk(root, prune)

    def _walk(self, root: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None) -> Iterator[cst.CSTNode]:
        stack = [root]
        met: list[cst.CSTNode] = []
        while stack:
            node = stack.pop()
            if prune is not None and prune(node):
                continue
            met.append(node)
            yield node
            stack.extend(reversed(self.content(node)))
        if prune is None:
            self._walks[id(root)] = (root, met)  # only once the walk went to its end

    def visit(self, root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
        """``root.visit(visitor)`` for a read-only visitor (see :func:`visit`)."""
        visit(self, root, visitor)


def walk(root: cst.CSTNode, kept: TreeIndex | None = None) -> Iterator[cst.CSTNode]:
    """``root`` and every node under it but the formatting, in the order ``root.visit`` meets them:
    ``kept.walk(root)`` when the caller has the module's kept children and walks, else a one-off
    walk that keeps nothing. A function that looks for nodes of some classes walks with it instead
    of defining a visitor class per call (each a new class, whose hooks are looked up again)."""
    return kept.walk(root) if kept is not None else _walk_keeping_nothing(root)


def _walk_keeping_nothing(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(content(node)))


def visit(tree: TreeIndex | None, root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``root.visit(visitor)`` for a read-only visitor: the same ``visit_*`` and ``leave_*`` hooks
    on the same nodes in the same order, without rebuilding the tree, through ``tree``'s kept
    children when the caller has one. A visitor that defines a field hook (``visit_If_test``) is
    run by LibCST."""
    kind = type(visitor)
    if field_hooks(kind):
        root.visit(visitor)
        return
    children_of = tree.children if tree is not None else children
    if kind.on_visit in _DISPATCHED_ON_VISIT and kind.on_leave is cst.CSTVisitor.on_leave and not any(
            name.startswith(("visit_", "leave_")) for name in vars(visitor)):
        hooks = visitor_hooks(kind)
        if hooks.skip_formatting:  # the formatting under a node is not even entered
            children_of = tree.content if tree is not None else content
        _dispatch(root, visitor, hooks, children_of)
    else:
        _visit(root, visitor, children_of)


def _visit(node: cst.CSTNode, visitor: cst.CSTVisitor, children_of: Callable) -> None:
    if visitor.on_visit(node):
        for child in children_of(node):
            _visit(child, visitor, children_of)
    visitor.on_leave(node)


def _dispatch(node: cst.CSTNode, visitor: cst.CSTVisitor, hooks: _Hooks, children_of: Callable) -> None:
    """``_visit`` for a visitor that keeps LibCST's ``on_visit`` and ``on_leave``: those look up
    ``visit_<Node>`` by name on every node; here each class's hooks are looked up once."""
    kind = type(node)
    if kind in FORMATTING and hooks.skip_formatting:
        return  # no hook of the visitor's would run on it, nor on the formatting under it
    if hooks.each is not None:
        hooks.each(visitor, node)
    enter, leave = hooks.by_node.get(kind) or hooks.of(kind)
    if enter is None or enter(visitor, node) is not False:
        for child in children_of(node):
            _dispatch(child, visitor, hooks, children_of)
    if leave is not None:
        leave(visitor, node)


class _Hooks:
    """A visitor's or transformer's own ``visit_<Node>`` and ``leave_<Node>`` functions, by node
    class (None for LibCST's no-op ones: a transformer's returns the updated node)."""

    def __init__(self, visitor_class: type):
        self._class = visitor_class
        self.by_node: dict[type, tuple[Callable | None, Callable | None]] = {}
        self.each: Callable | None = getattr(visitor_class, "on_each", None)  # an EachNodeVisitor's
        self.skip_formatting = self.each is not None or all(
            self.of(node_class) == (None, None) for node_class in FORMATTING)

    def of(self, node_class: type) -> tuple[Callable | None, Callable | None]:
        found = self.by_node.get(node_class)
        if found is None:
            found = self.by_node[node_class] = tuple(
                None if hook is getattr(CSTTypedVisitorFunctions, name, None)
                or hook is getattr(CSTTypedTransformerFunctions, name, None) else hook
                for name in (f"visit_{node_class.__name__}", f"leave_{node_class.__name__}")
                for hook in [getattr(self._class, name, None)])
        return found


def visitor_hooks(visitor_class: type) -> _Hooks:
    # Kept on the class itself, not in a cache beside it: a visitor class defined inside a function
    # closes over that function's nodes, and a global cache whose values hold the class's functions
    # (or the class) would keep every tree such a class saw alive.
    found = visitor_class.__dict__.get("_jaxify_hooks")
    if found is None:
        found = _Hooks(visitor_class)
        setattr(visitor_class, "_jaxify_hooks", found)
    return found


# LibCST's no-op field hooks (``visit_If_test``; ``visit_If`` is a node's own hook).
_NO_OP_FIELD_HOOKS = frozenset(name for name, hook in vars(CSTTypedBaseFunctions).items()
                               if callable(hook) and name.count("_") >= 2)


# Weak keys: many visitor classes are defined inside a function and close over its nodes; a
# cache that held them would keep every tree they saw alive (10 MB per 8 KB of source).
_FIELD_HOOKS: weakref.WeakKeyDictionary[type, frozenset[str]] = weakref.WeakKeyDictionary()
_OWN_FIELD_HOOKS: weakref.WeakKeyDictionary[type, frozenset[str]] = weakref.WeakKeyDictionary()


def field_hooks(visitor_class: type) -> frozenset[str]:
    """The node classes (by name) for which the class overrides one of LibCST's no-op field hooks
    (``visit_ClassDef_bases``: "ClassDef"): those a class before ``CSTTypedBaseFunctions`` in its
    MRO defines (each class's own names read once, so a visitor class defined inside a function
    costs a look at its few names)."""
    found = _FIELD_HOOKS.get(visitor_class)
    if found is None:
        found = _FIELD_HOOKS[visitor_class] = frozenset().union(*(
            _defines_field_hooks(klass) for klass in itertools.takewhile(
                lambda klass: klass is not CSTTypedBaseFunctions, visitor_class.__mro__)))
    return found


def _defines_field_hooks(klass: type) -> frozenset[str]:
    found = _OWN_FIELD_HOOKS.get(klass)
    if found is None:
        # node class names are CamelCase: the one in `visit_ClassDef_bases` is the second part
        found = _OWN_FIELD_HOOKS[klass] = frozenset(
            name.split("_")[1] for name in _NO_OP_FIELD_HOOKS.intersection(vars(klass)))
    return found


class SkipsUnusedFieldHooks:
    """Mixin for a LibCST visitor or transformer: the per-field hook lookup (``visit_If_test``)
    runs only on the node classes for which the class defines such a hook."""

    _field_hooked: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._field_hooked = field_hooks(cls)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if type(node).__name__ in self._field_hooked:
            super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if type(original_node).__name__ in self._field_hooked:
            super().on_leave_attribute(original_node, attribute)


class Visitor(SkipsUnusedFieldHooks, cst.CSTVisitor):
    """A read-only LibCST visitor without the per-field hook lookup (unless it defines a hook)."""


class EachNodeVisitor(Visitor):
    """A read-only visitor with one more hook, ``on_each(node)``, called on entering every node
    but the formatting (which it does not enter), before the node's own ``visit_<Node>``. Run by
    :func:`visit`, it keeps the per-class hook dispatch that an ``on_visit`` override would lose
    (LibCST's looks up ``visit_<Node>`` by name on every node)."""

    def on_each(self, node: cst.CSTNode) -> None:
        raise NotImplementedError

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in FORMATTING:
            return False
        self.on_each(node)
        return super().on_visit(node)


# on_visit methods that ``visit`` replaces by its own dispatch: LibCST's, and EachNodeVisitor's
_DISPATCHED_ON_VISIT = (cst.CSTVisitor.on_visit, EachNodeVisitor.on_visit)

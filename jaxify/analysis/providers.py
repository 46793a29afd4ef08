"""LibCST's scope, expression-context, parent and position metadata, computed at less cost.

LibCST's ``ScopeProvider`` depends on its ``ExpressionContextProvider``, and both are *batchable*:
resolving them walks the whole module once to call their ``visit_Module``, and each of those
walks it again with its own visitor, every walk rebuilding every node (three in all). Here:

- ``ExpressionContexts`` gives the same mapping as ``ExpressionContextProvider`` (which names and
  subscripts are stored, loaded or deleted) from one walk that reads each node's fields
  (:func:`jaxify.analysis.tree.children`) instead of rebuilding it;
- ``Scopes`` runs LibCST's own ``ScopeVisitor``, so every scope, assignment, access and
  qualified name is LibCST's, reading the contexts from ``ExpressionContexts``: one walk instead
  of three, which reads nodes instead of rebuilding them and gives formatting nodes no scope
  (``_read_only_visits``);
- ``ParentProvider`` gives each node's parent, as ``ParentNodeProvider`` does, from the fields;
- ``positions`` gives ``PositionProvider``'s ranges, which ``Wrapper`` answers with: LibCST's own
  code generation, with a cheaper state per node.

Every analysis and codemod asks these (the wrapper keeps one answer per provider class, so a
file's scopes are computed once), of a ``Wrapper``: LibCST's ``MetadataWrapper`` walks the whole
module for the batchable providers of each round of a resolution even when a round has none.
``tests/test_tree_walks.py`` compares each answer with LibCST's on the corpus and the fixtures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Optional

import libcst as cst
from libcst.metadata import (
    BaseMetadataProvider, CodePosition, CodeRange, ExpressionContext, ExpressionContextProvider, MetadataWrapper,
    PositionProvider,
)
from libcst.metadata.position_provider import PositionProvidingCodegenState
from libcst.metadata import scope_provider
from libcst.metadata.scope_provider import Scope, ScopeVisitor

from jaxify.analysis.tree import FORMATTING, SkipsUnusedFieldHooks, TreeIndex, children, content, visitor_hooks

LOAD, STORE, DEL = ExpressionContext.LOAD, ExpressionContext.STORE, ExpressionContext.DEL


class _ReadsKeptChildren:
    """For a provider: ``_children_of(node)``, the node's children, read from the wrapper's kept
    ``tree`` when it has one (``Wrapper``), so that the walks of the providers, the analyses and
    the codemods compute each node's children once."""

    _children_of: Callable[[cst.CSTNode], Sequence[cst.CSTNode]] = staticmethod(children)
    _content_of: Callable[[cst.CSTNode], Sequence[cst.CSTNode]] = staticmethod(content)  # less the formatting

    def _gen(self, wrapper: MetadataWrapper):
        tree = kept_tree(wrapper)
        self._children_of = tree.children if tree is not None else children
        self._content_of = tree.content if tree is not None else content
        # LibCST's own _gen, less its copy of the whole mapping: nothing writes it afterwards
        self._computed = {}
        with self.resolve(wrapper):
            self._gen_impl(wrapper.module)
        return self._answers()

    def _answers(self) -> Mapping:
        """The mapping ``_gen_impl`` filled (``_computed``), as the wrapper hands it out."""
        return MappingProxyType(self._computed)


# The nodes that have a context, or give their children another: ``ExpressionContexts._parts``
_CONTEXT_NODES = frozenset({
    cst.Name, cst.Attribute, cst.Subscript, cst.Tuple, cst.List, cst.StarredElement, cst.Assign, cst.AnnAssign,
    cst.AugAssign, cst.NamedExpr, cst.AsName, cst.CompFor, cst.For, cst.Del, cst.ClassDef, cst.FunctionDef, cst.Param,
})


class ExpressionContexts(_ReadsKeptChildren, BaseMetadataProvider[ExpressionContext]):
    """``ExpressionContextProvider``'s mapping: LOAD, STORE or DEL for each ``Name``,
    ``Attribute``, ``Subscript``, ``Tuple``, ``List`` and ``StarredElement`` it reaches, following
    the same rules in the same order (an attribute's ``attr`` gets none; a function's or class's
    type parameters are not reached)."""

    def _gen_impl(self, module: cst.Module) -> None:
        # iterative, so deep nesting costs no recursion; each entry: (node, its context)
        stack: list[tuple[cst.CSTNode, ExpressionContext]] = [(module, LOAD)]
        computed, content_of = self._computed, self._content_of
        while stack:
            node, context = stack.pop()
            if type(node) in _CONTEXT_NODES:
                stack.extend(reversed(self._parts(node, context, computed)))
            else:  # most nodes: their children in their own context
                stack.extend([(child, context) for child in reversed(content_of(node))])

    def _parts(self, node: cst.CSTNode, context: ExpressionContext, computed) -> list[tuple[cst.CSTNode, ExpressionContext]]:
        """Record ``node``'s own context; the nodes to visit next, in order, with theirs."""
        kind = type(node)
        if kind is cst.Name:
            computed[node] = context
            return []
        if kind is cst.Attribute:
            computed[node] = context
            return [(node.value, LOAD)]
        if kind is cst.Subscript:
            computed[node] = context
            return [(node.value, LOAD), *((element, LOAD) for element in node.slice)]
        if kind in (cst.Tuple, cst.List, cst.StarredElement):
            computed[node] = context
        elif kind is cst.Assign:
            return [*((target, STORE) for target in node.targets), (node.value, context)]
        elif kind is cst.AnnAssign:
            parts = [(node.target, STORE), (node.annotation, context)]
            return parts + [(node.value, context)] if node.value else parts
        elif kind in (cst.AugAssign, cst.NamedExpr):
            return [(node.target, STORE), (node.value, context)]
        elif kind is cst.AsName:
            return [(node.name, STORE)]
        elif kind is cst.CompFor:
            parts = [(node.target, STORE), (node.iter, context), *((test, context) for test in node.ifs)]
            return parts + [(node.inner_for_in, context)] if node.inner_for_in else parts
        elif kind is cst.For:
            parts = [(node.target, STORE), (node.iter, context), (node.body, context)]
            return parts + [(node.orelse, context)] if node.orelse else parts
        elif kind is cst.Del:
            return [(node.target, DEL)]
        elif kind is cst.ClassDef:
            return [(node.name, STORE), (node.body, context), *((base, context) for base in node.bases),
                    *((keyword, context) for keyword in node.keywords),
                    *((decorator, context) for decorator in node.decorators)]
        elif kind is cst.FunctionDef:
            parts = [(node.name, STORE), (node.params, context), (node.body, context),
                     *((decorator, context) for decorator in node.decorators)]
            return parts + [(node.returns, context)] if node.returns else parts
        elif kind is cst.Param:
            parts = [(node.name, STORE)]
            if node.annotation:
                parts.append((node.annotation, context))
            return parts + [(node.default, context)] if node.default else parts
        # formatting (whitespace, comments, punctuation) holds no expression
        return [(child, context) for child in self._content_of(node)]


class Scopes(_ReadsKeptChildren, BaseMetadataProvider[Optional[Scope]]):
    """``ScopeProvider``'s scopes, from LibCST's own ``ScopeVisitor``: one walk of the module,
    which reads the expression contexts from ``ExpressionContexts``, and skips formatting nodes
    (which get no scope)."""

    METADATA_DEPENDENCIES = (ExpressionContexts,)

    def _gen_impl(self, module: cst.Module) -> None:
        visitor = _ScopeVisitor(self)
        with _read_only_visits(visitor, self._content_of):
            module.visit(visitor)
        visitor.infer_accesses()

    def get_metadata(self, key, node, *default):
        # ScopeVisitor asks LibCST's provider by name; the same answers live under ours
        return super().get_metadata(ExpressionContexts if key is ExpressionContextProvider else key, node, *default)


class _ScopeVisitor(SkipsUnusedFieldHooks, ScopeVisitor):
    """LibCST's ``ScopeVisitor``, which looks up field hooks only on the nodes it has one for."""

    def on_leave(self, original_node: cst.CSTNode) -> None:  # type: ignore[override]
        # ScopeVisitor.on_leave, run on every node: its class test (a tuple of classes, each tried
        # through the ABC machinery) is answered once per node class, and its leave hook is looked
        # up once per node class too
        if _ASSIGNMENT_LIKE_NODES is None:  # a LibCST that counts assignments otherwise
            return super().on_leave(original_node)
        kind = type(original_node)
        self.provider._computed[original_node] = self.scope  # ScopeProvider.set_metadata
        counts = _COUNTS_AS_ASSIGNMENT.get(kind)
        if counts is None:
            counts = _COUNTS_AS_ASSIGNMENT[kind] = issubclass(kind, _ASSIGNMENT_LIKE_NODES)
        if counts:
            self.scope._assignment_count += 1
        leave = visitor_hooks(type(self)).of(kind)[1]
        if leave is not None:
            leave(self, original_node)


# The node classes whose leaving ScopeVisitor counts as an assignment (a private name of LibCST's)
_ASSIGNMENT_LIKE_NODES = getattr(scope_provider, "_ASSIGNMENT_LIKE_NODES", None)
_COUNTS_AS_ASSIGNMENT: dict[type, bool] = {}


@contextlib.contextmanager
def _read_only_visits(visitor: _ScopeVisitor, content_of: Callable) -> Iterator[None]:
    """Within: ``node.visit(visitor)`` reads ``node``'s fields instead of rebuilding it.

    ``ScopeVisitor`` walks the parts of a function, class, lambda, comprehension, call or loop
    itself (``node.body.visit(self)``, in a new scope), so a walk started elsewhere would not reach
    what lies under them, nine nodes in ten; and LibCST's ``visit`` builds a copy of every node it
    passes, which a visitor throws away. So for the duration of the scope walk, and for this
    visitor only, ``CSTNode.visit`` calls the same hooks on the same nodes in the same order and
    returns the node itself, as LibCST's does for a visitor; a node whose class has one of the
    visitor's field hooks (``visit_ClassDef_bases``) is walked by LibCST, which calls them.
    Formatting nodes (whitespace, comments, punctuation: three in five) are not visited: no
    analysis asks for their scope.
    """
    libcst_visit = cst.CSTNode.visit
    field_hooked = visitor._field_hooked
    # ScopeVisitor keeps CSTVisitor's on_visit, which looks visit_<Node> up by name on every
    # node: here each node class's hook is looked up once (its on_leave records every scope)
    hooks = visitor_hooks(type(visitor)) if type(visitor).on_visit is cst.CSTVisitor.on_visit else None

    def visit(node: cst.CSTNode, walker):
        if walker is not visitor:
            return libcst_visit(node, walker)
        kind = type(node)
        if kind in FORMATTING:
            return node  # no hook of ScopeVisitor's is about them, nor about what lies under them
        if kind.__name__ in field_hooked:
            return libcst_visit(node, walker)
        if hooks is None:
            descend = walker.on_visit(node)
        else:
            enter = hooks.of(kind)[0]
            descend = enter is None or enter(walker, node) is not False
        if descend:
            for child in content_of(node):  # the formatting is not visited (below)
                visit(child, walker)
        walker.on_leave(node)
        return node

    cst.CSTNode.visit = visit
    try:
        yield
    finally:
        cst.CSTNode.visit = libcst_visit


class ParentProvider(_ReadsKeptChildren, BaseMetadataProvider[cst.CSTNode]):
    """``ParentNodeProvider``'s mapping (each node's parent; the module has none), read off the
    fields instead of a visitor's rebuilding walk, and kept by node identity (``ById``)."""

    def _answers(self) -> Mapping:
        return ById(self._computed)  # filled as id(child) -> (child, parent)

    def _gen_impl(self, module: cst.Module) -> None:
        parents = self._computed
        stack: list[cst.CSTNode] = [module]
        while stack:
            node = stack.pop()
            for child in self._children_of(node):
                parents[id(child)] = (child, node)
                stack.append(child)


class Wrapper(MetadataWrapper):
    """A ``MetadataWrapper`` that does not walk the module for an empty batch of providers, and
    holds the shared analyses of its module (``jaxify.analysis.analyze``), per options, and the
    children of its nodes (``tree``), which every analysis and every codemod's walk reads: they
    live as long as the wrapper, and no longer."""

    def __init__(self, module: cst.Module, *args, **kwargs) -> None:
        super().__init__(module, *args, **kwargs)
        self.analyses: dict = {}
        self.tree = TreeIndex()

    def resolve_many(self, providers):
        if PositionProvider in providers and PositionProvider not in self._metadata:
            self._metadata[PositionProvider] = positions(self.module)
        return super().resolve_many(providers)

    def release(self) -> None:
        """Drop what is resolved on this wrapper, once its file's rewrite is over: the metadata
        and analyses refer to one another (scopes, accesses), so they would wait for the garbage
        collector, which walks every object they hold; dropped now, reference counting frees
        them at once. The kept children go too, emptied: the analyses (which refer to one another)
        and the providers' bound methods hold the index, and would keep every list it holds for
        the collector."""
        self._metadata.clear()
        self.analyses.clear()
        if self.tree is not None:
            self.tree.clear()
        self.tree = None

    def visit_batched(self, visitors, before_visit=None, after_leave=None) -> cst.CSTNode:
        visitors = list(visitors)
        if not visitors:
            return self.module
        return super().visit_batched(visitors, before_visit, after_leave)


def kept_tree(wrapper: MetadataWrapper) -> TreeIndex | None:
    """The children and walks ``wrapper`` keeps for its module: jaxify's ``Wrapper`` keeps them
    until it is released; LibCST's own wrapper keeps none."""
    return wrapper.tree if isinstance(wrapper, Wrapper) else None


def positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """``PositionProvider``'s mapping, computed by LibCST's own code generation with a state that
    gives the same ranges at less cost per node (every node of the module gets one: a tenth of a
    file's rewrite before): see ``_Positions``."""
    state = _Positions(default_indent=module.default_indent, default_newline=module.default_newline,
                       provider=PositionProvider())
    module._codegen(state)
    return _Ranges(state.spans)


class ById(Mapping):
    """A mapping from every node of a module, kept by ``id(node)`` with the node itself: a
    ``CSTNode``'s ``__hash__`` is a Python call, which a dict keyed by nodes makes for every node
    of the module it fills (half a million a run). The entry keeps its node alive, so no other
    object can have its id while the mapping lives: an entry found for a node is that node's."""

    __slots__ = ("_entries",)

    def __init__(self, entries: dict[int, tuple]):
        self._entries = entries  # id(node) -> (node, what it maps to, ...)

    def _value(self, entry: tuple):
        return entry[1]

    def __getitem__(self, node: cst.CSTNode):
        entry = self._entries.get(id(node))
        if entry is None:
            raise KeyError(node)
        return self._value(entry)

    def get(self, node: cst.CSTNode, default=None):
        entry = self._entries.get(id(node))
        return default if entry is None else self._value(entry)

    def __contains__(self, node: object) -> bool:
        return id(node) in self._entries

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return (entry[0] for entry in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)


class _Ranges(ById):
    """node -> ``CodeRange``, kept as plain (node, line, column, end line, end column) tuples and
    made a ``CodeRange`` when read: a file's rewrite reads the range of about one node in forty,
    and three frozen dataclasses per node cost more than the code generation that measures them."""

    __slots__ = ()

    def _value(self, entry: tuple) -> CodeRange:
        _, line, column, end_line, end_column = entry
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))


class _Positions(PositionProvidingCodegenState):
    """LibCST's ``PositionProvidingCodegenState``, with the same results: a token without a line
    break moves the column without a regular expression; the tokens are not kept (only whether
    there was one, which is all ``Module`` asks of them); a range is a plain tuple (``spans``);
    the syntactic range of a statement or expression is recorded by a small object rather than a
    generator-based context manager."""

    def __init__(self, **fields) -> None:
        super().__init__(**fields)
        self.spans: dict[int, tuple] = {}  # id(node) -> (node, line, column, end line, end column)

    def add_token(self, value: str) -> None:
        if not self.tokens:
            self.tokens.append(value)
        self._update_position(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def _update_position(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            super()._update_position(value)
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self._stack.pop()
        # a syntactic range recorded already stands
        self.spans.setdefault(id(node), (node, line, column, self.line, self.column))

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None) -> _SyntacticRange:
        return _SyntacticRange(self, node, start_node, end_node)


class _SyntacticRange:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _Positions, node: cst.CSTNode, start_node: cst.CSTNode | None,
                 end_node: cst.CSTNode | None):
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, *exc) -> bool:
        state, spans = self.state, self.state.spans
        start = spans[id(self.start_node)][1:3] if self.start_node is not None else self.start
        end = spans[id(self.end_node)][3:] if self.end_node is not None else (state.line, state.column)
        spans[id(self.node)] = (self.node, *start, *end)
        return False

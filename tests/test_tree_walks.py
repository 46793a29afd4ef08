"""The walks of ``jaxify.analysis.tree`` meet the same nodes, in the same order, as LibCST's own,
and the providers of ``jaxify.analysis.providers`` give LibCST's answers.

Every analysis reads children, parents, contexts, scopes and read-only visits through them, so
each is compared with LibCST's answer on every node of the corpus and the fixtures (and on trees
built by hand, where one node object may sit in two fields).
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import ExpressionContextProvider, MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from jaxify.analysis.providers import ExpressionContexts, ParentProvider, Scopes, Wrapper, positions
from jaxify.analysis import tree
from jaxify.analysis.tree import FORMATTING, TreeIndex, children, visit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("corpus/**/*.py"), *ROOT.glob("tests/fixtures/**/*.py")])


@functools.lru_cache(maxsize=1)
def _parsed() -> tuple[tuple[Path, cst.Module], ...]:
    parsed = []
    for path in SOURCES:
        try:
            parsed.append((path, cst.parse_module(path.read_text(encoding="utf-8"))))
        except cst.ParserSyntaxError:
            continue
    return tuple(parsed)


def _modules():
    return _parsed()


def _some_modules():
    """Every third source: LibCST's own providers are slow, and a third still covers every form."""
    return _parsed()[::3]


def _ours(module: cst.Module, provider):
    """The provider's answer through LibCST's wrapper, and through jaxify's, which reads the
    children it keeps."""
    return [MetadataWrapper(module, unsafe_skip_copy=True).resolve(provider),
            Wrapper(module, unsafe_skip_copy=True).resolve(provider)]


def _every_node(module: cst.Module):
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


class _Events(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []


class _Recorder(_Events):
    """Overrides on_visit and on_leave: walked by calling them on every node (tree._visit)."""

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, cst.Lambda)  # a pruned subtree must stay pruned

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _Hooked(_Events):
    """Node hooks only: walked by looking each class's hooks up once (tree._dispatch)."""

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("name", id(node)))

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.events.append(("lambda", id(node)))
        return False  # a pruned subtree must stay pruned

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.events.append(("def", id(node)))
        return True

    def leave_Call(self, original_node: cst.Call) -> None:
        self.events.append(("call", id(original_node)))


class _HookedOnFormatting(_Hooked):
    """Hooks on formatting nodes too, which the walk of a visitor without them skips."""

    def visit_Comment(self, node: cst.Comment) -> None:
        self.events.append(("comment", id(node)))

    def leave_Comma(self, original_node: cst.Comma) -> None:
        self.events.append(("comma", id(original_node)))


def test_there_are_sources_to_compare():
    assert len(SOURCES) > 500


def test_children_are_libcsts_children_on_every_node():
    compared = 0
    for path, module in _modules():
        for node in _every_node(module):
            expected = node.children
            found = children(node)
            assert len(found) == len(expected), (path, type(node).__name__)
            assert all(a is b for a, b in zip(found, expected)), (path, type(node).__name__)
            compared += 1
    assert compared > 100_000


def test_children_of_a_tree_whose_fields_share_one_node():
    space = cst.SimpleWhitespace(" ")
    node = cst.BinaryOperation(
        left=cst.Name("a"), operator=cst.Add(whitespace_before=space, whitespace_after=space), right=cst.Name("b"))
    assert [type(child) for child in children(node.operator)] == [cst.SimpleWhitespace, cst.SimpleWhitespace]
    assert all(a is b for a, b in zip(children(node), node.children))


def test_children_of_a_class_that_visits_a_field_only_when_it_holds_something(monkeypatch):
    # FormattedStringExpression visits format_spec only when it is not None: learnt from a node
    # without one, the class's order has no place for it; a node with one is learnt on its own
    monkeypatch.setattr(tree, "_VISITED", {})
    plain, with_spec = (cst.ensure_type(cst.parse_expression(text), cst.FormattedString).parts[0]
                        for text in ('f"{x}"', 'f"{x:>{width}}"'))
    for node in (plain, with_spec, plain):
        expected = node.children
        assert len(children(node)) == len(expected) and all(a is b for a, b in zip(children(node), expected))
    assert any(isinstance(child, cst.FormattedStringText) for child in children(with_spec))


def test_children_of_sequences_that_are_not_tuples():
    # a node built by hand may hold a list, or another sequence, where the parser puts a tuple
    elements = [cst.Element(cst.Name("a")), cst.Element(cst.Name("b"))]
    for sequence in (elements, tuple(elements)):
        node = cst.List(elements=sequence)
        assert [child for child in children(node) if isinstance(child, cst.Element)] == elements


def test_parents_are_libcsts_parents():
    for path, module in _some_modules():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
        for found in _ours(module, ParentProvider):
            assert set(found) == set(expected), path
            assert all(found[node] is expected[node] for node in expected), path


@pytest.mark.parametrize("visitor", [_Recorder, _Hooked, _HookedOnFormatting])
@pytest.mark.parametrize("tree", [None, TreeIndex()], ids=["fresh", "kept children"])
def test_read_only_visit_calls_the_hooks_libcst_calls(tree, visitor):
    for path, module in _modules():
        expected, found = visitor(), visitor()
        module.visit(expected)
        visit(tree, module, found)
        assert found.events == expected.events, path


def test_expression_contexts_are_libcsts():
    for path, module in _some_modules():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ExpressionContextProvider)
        for found in _ours(module, ExpressionContexts):
            assert dict(found) == dict(expected), path


def _scope_facts(module: cst.Module, scopes) -> list:
    """What the analyses read of scopes, per node in walk order: the kind of scope, the qualified
    names of names and attributes, and what each scope binds and reads."""
    facts = []
    for node in _every_node(module):
        if type(node) in FORMATTING:
            continue
        scope = scopes.get(node)
        if scope is None:
            facts.append(None)
            continue
        entry = [type(scope).__name__]
        if isinstance(node, (cst.Name, cst.Attribute)):
            entry.append(sorted((q.name, q.source.name) for q in scope.get_qualified_names_for(node)))
        if isinstance(node, (cst.FunctionDef, cst.Module, cst.ClassDef)):
            entry.append(sorted({a.name for a in scope.assignments}))
            entry.append(sorted({a.node.value for a in scope.accesses if isinstance(a.node, cst.Name)}))
        facts.append(entry)
    return facts


def test_scopes_are_libcsts():
    for path, module in _some_modules():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
        for found in _ours(module, Scopes):
            # every node but the formatting (whitespace, comments, punctuation) has LibCST's scope
            assert set(found) == {node for node in expected if type(node) not in FORMATTING}, path
            assert _scope_facts(module, found) == _scope_facts(module, expected), path


def test_positions_are_libcsts():
    for path, module in _some_modules():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        assert dict(positions(module)) == dict(expected), path
        assert dict(Wrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)) == dict(expected), path


def test_positions_and_parents_answer_for_the_very_node_only():
    # kept by id(node) with the node: a node equal to one of the module's, but another object
    # (built by a codemod), has no position and no parent
    module = cst.parse_module("x = f(a)\n")
    name = cst.ensure_type(module.body[0], cst.SimpleStatementLine).body[0].value.args[0].value
    twin = cst.Name("a")
    assert twin.deep_equals(name)
    for found in (positions(module), Wrapper(module, unsafe_skip_copy=True).resolve(ParentProvider)):
        assert name in found and found[name] is not None and found.get(name) is not None
        assert twin not in found and found.get(twin) is None
        with pytest.raises(KeyError):
            found[twin]
        assert len(found) == len(list(found)) and all(node in found for node in found)


def test_the_scope_walk_leaves_libcsts_visit_as_it_was():
    """The scope walk swaps ``CSTNode.visit`` for the time of the walk: after it, even one that
    failed, every other visitor gets LibCST's own."""
    libcst_visit = cst.CSTNode.visit
    module = cst.parse_module("import numpy as np\nclass A(np.ndarray):\n    def f(self, x):\n        return [y for y in x]\n")
    MetadataWrapper(module, unsafe_skip_copy=True).resolve(Scopes)
    assert cst.CSTNode.visit is libcst_visit

    class Failing(Scopes):
        def get_metadata(self, key, node, *default):
            raise RuntimeError("a failing provider")

    with pytest.raises(RuntimeError):
        MetadataWrapper(module, unsafe_skip_copy=True).resolve(Failing)
    assert cst.CSTNode.visit is libcst_visit


def test_libcst_node_classes_that_jaxify_tests_by_identity_have_no_subclasses():
    """The planners' per-node loops test ``type(node) is cst.Call`` instead of isinstance (which,
    on LibCST's ABC-based classes, costs a Python call when it fails): exact only while no
    concrete node class has a subclass, which a new LibCST could add."""
    import inspect

    def under(klass):
        for sub in klass.__subclasses__():
            yield sub
            yield from under(sub)

    concrete = [klass for klass in vars(cst).values() if inspect.isclass(klass) and issubclass(klass, cst.CSTNode)
                and not inspect.isabstract(klass) and not klass.__name__.startswith("Base")]
    assert len(concrete) > 150
    assert {klass.__name__: [sub.__name__ for sub in under(klass)] for klass in concrete if any(under(klass))} == {}

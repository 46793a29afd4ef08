"""The walks of ``jaxify.analysis.tree`` meet the same nodes, in the same order, as LibCST's own.

Every analysis reads children, parents and read-only visits through them, so each is compared
with LibCST's answer on every node of the corpus and the fixtures (and on trees built by hand,
where one node object may sit in two fields).
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from jaxify.analysis.tree import ParentProvider, TreeIndex, children, visit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("corpus/**/*.py"), *ROOT.glob("tests/fixtures/**/*.py")])


def _modules():
    for path in SOURCES:
        try:
            yield path, cst.parse_module(path.read_text(encoding="utf-8"))
        except cst.ParserSyntaxError:
            continue


def _every_node(module: cst.Module):
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, cst.Lambda)  # a pruned subtree must stay pruned

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


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


def test_parents_are_libcsts_parents():
    for path, module in _modules():
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        expected, found = wrapper.resolve(ParentNodeProvider), wrapper.resolve(ParentProvider)
        assert set(found) == set(expected), path
        assert all(found[node] is expected[node] for node in expected), path


@pytest.mark.parametrize("tree", [None, TreeIndex()], ids=["fresh", "kept children"])
def test_read_only_visit_calls_the_hooks_libcst_calls(tree):
    for path, module in _modules():
        expected, found = _Recorder(), _Recorder()
        module.visit(expected)
        visit(tree, module, found)
        assert found.events == expected.events, path

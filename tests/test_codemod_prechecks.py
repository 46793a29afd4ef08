"""The engine's shortcuts give exactly what the full work gives (issue 16).

- A codemod whose pre-check on the file's context (``Codemod.may_act``) says it has nothing to do
  is not run: on every fixture, input and expected output, such a codemod run anyway changes
  nothing and reports nothing. (The text-only ``applies_to`` checks are older and covered by the
  fixture tests themselves.)
- ``TreeIndex`` walks a tree without rebuilding it: the same nodes in the same order as LibCST's
  own traversal, pruned the same way, less the formatting nodes (whitespace, comments,
  punctuation), under which there is no code.
- A codemod that defines no field hook skips LibCST's lookup of one; one that defines a hook still
  has it called.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from jaxify.analysis.tree import FORMATTING, TreeIndex, walk
from jaxify.codemod import Codemod, FileContext
from jaxify.codemods import CODEMODS
from jaxify.config import Options
from jaxify.suppression import Suppressions

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(path for path in FIXTURES.rglob("*.py") if not path.name.endswith(".examples.py"))


def _context(path: Path, text: str, options: Options, converted: frozenset[str] = frozenset()) -> FileContext:
    return FileContext(path=str(path), options=options, original_text=text, suppressions=Suppressions(text),
                       converted=converted)


CONTEXT_CHECKED = [c for c in CODEMODS if c.may_act.__func__ is not Codemod.may_act.__func__]


@pytest.mark.parametrize("codemod_class", CONTEXT_CHECKED, ids=lambda c: c.__name__)
def test_a_codemod_its_precheck_skips_has_nothing_to_do(codemod_class):
    skipped = 0
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for options in (Options(), Options(unsafe=True, jit=False)):
            context = _context(path, text, options)
            if codemod_class.may_act(text, context):
                continue
            skipped += 1
            wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
            codemod = codemod_class(context, wrapper)
            output = codemod.finish(wrapper.visit(codemod)).code
            assert (output, context.findings) == (text, []), f"{codemod_class.__name__} skipped {path}"
    assert skipped > len(SOURCES)  # the checks do skip work


PASSING_OVER = [c for c in CODEMODS if c.rewrites_in is not Codemod.rewrites_in or c.ACTS_UNDER]


@pytest.mark.parametrize("codemod_class", PASSING_OVER, ids=lambda c: c.__name__)
def test_a_codemod_that_passes_over_statements_rewrites_and_reports_as_one_that_walks_them(codemod_class):
    class WalksEverything(codemod_class):
        def rewrites_in(self, statement):
            return True

    passed_over = 0
    inputs = [path for path in SOURCES if not path.name.endswith(".expected.py")]  # outputs have little left to do
    for path in inputs[::2]:  # every second one still holds each fixture family's forms many times over
        text = path.read_text(encoding="utf-8")
        for options in (Options(), Options(unsafe=True, assume_numeric_inputs=True)):
            results = []
            for walking in (codemod_class, WalksEverything):
                context = _context(path, text, options)
                if not codemod_class.may_act(text, context):
                    break
                wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
                codemod = walking(context, wrapper)
                output = codemod.finish(wrapper.visit(codemod)).code
                results.append((output, [finding.to_json() for finding in context.findings]))
                passed_over += len(codemod._passed_over) if walking is codemod_class else 0
            if results:
                assert results[0] == results[1], f"{codemod_class.__name__} on {path}"
    assert passed_over > 40  # statements are passed over (62 for the NumPy namespace, the fewest)


def test_jit_runs_where_the_gate_converted_a_function_or_with_jit():
    text = "import numpy as np\n\n\ndef f(x):\n    return x + 1\n"
    jit = next(c for c in CODEMODS if c.__name__ == "JitWrap")
    assert not jit.may_act(text, _context(Path("m.py"), text, Options()))
    assert jit.may_act(text, _context(Path("m.py"), text, Options(), converted=frozenset({"f"})))
    assert jit.may_act(text, _context(Path("m.py"), text, Options(jit=True)))
    assert jit.may_act(text.replace("x + 1", "jax.jit(g)(x)"), _context(Path("m.py"), text, Options()))


class _Recorder(cst.CSTVisitor):
    def __init__(self, prune=None):
        super().__init__()
        self.nodes: list[cst.CSTNode] = []
        self.prune = prune

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.prune is not None and self.prune(node):
            return False
        self.nodes.append(node)
        return True


def _nested_definition(root):
    return lambda node: node is not root and isinstance(node, (cst.FunctionDef, cst.ClassDef))


def test_tree_index_walks_as_libcst_does():
    for path in SOURCES:
        module = cst.parse_module(path.read_text(encoding="utf-8"))
        tree = TreeIndex()
        recorder = _Recorder()
        module.visit(recorder)
        assert list(tree.walk(module)) == _code_only(recorder.nodes), path
        assert list(walk(module)) == _code_only(recorder.nodes), path  # the same walk, keeping nothing
        for node in recorder.nodes:
            assert list(tree.children(node)) == list(node.children)
            assert list(tree.content(node)) == [child for child in node.children if type(child) not in FORMATTING]
            if isinstance(node, cst.FunctionDef):
                pruned = _Recorder(_nested_definition(node))
                node.visit(pruned)
                assert list(tree.walk(node, prune=_nested_definition(node))) == _code_only(pruned.nodes), path


def _code_only(nodes: list[cst.CSTNode]) -> list[cst.CSTNode]:
    """LibCST's walk less the formatting nodes and everything under them (a comment inside a
    parenthesized whitespace), which TreeIndex.walk leaves out."""
    skipped: set[int] = set()
    kept = []
    for node in nodes:
        if id(node) in skipped:
            continue
        if type(node) in FORMATTING:
            skipped.update(id(child) for child in _all_under(node))
        else:
            kept.append(node)
    return kept


def _all_under(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _all_under(child)


def test_walks_skip_only_formatting_nodes_that_hold_no_code():
    """Under a formatting node there is only more formatting: skipping its subtree hides no code."""
    for path in SOURCES[::3]:
        module = cst.parse_module(path.read_text(encoding="utf-8"))
        for node in _all_under(module):
            if type(node) in FORMATTING:
                assert all(type(inner) in FORMATTING for inner in _all_under(node)), (path, node)


def test_field_hooks_are_called_only_where_a_codemod_defines_one():
    class Plain(Codemod):
        pass

    class Hooked(Codemod):
        def __init__(self, context, wrapper):
            super().__init__(context, wrapper)
            self.tests: list[str] = []

        def visit_If_test(self, node: cst.If) -> None:
            self.tests.append(cst.Module([]).code_for_node(node.test))

    assert Plain._field_hooked == frozenset() and Hooked._field_hooked == {"If"}
    text = "if a:\n    pass\nelif b:\n    pass\n"
    wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    hooked = Hooked(_context(Path("m.py"), text, Options()), wrapper)
    wrapper.visit(hooked)
    assert hooked.tests == ["a", "b"]


def test_the_x64_switch_alone_is_no_api_migration_work():
    """The API-migration codemod's trigger looks past the x64 switch other codemods add (it names
    today's `jax.config`): where that switch alone would have set the trigger off, the codemod run
    anyway changes nothing and reports nothing; next to old API, it still runs."""
    from jaxify.codemods.api_migration import ApiMigration
    from jaxify.codemods.api_tables import TRIGGER
    from jaxify.codemods.precision import X64_SWITCH

    looked_past = 0
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if ApiMigration.applies_to(text) or TRIGGER.search(text) is None:
            continue
        looked_past += 1
        context = _context(path, text, Options(unsafe=True))
        wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
        codemod = ApiMigration(context, wrapper)
        assert (codemod.finish(wrapper.visit(codemod)).code, context.findings) == (text, []), path
    assert looked_past > 0
    old_api = f"import jax\nimport numpy as np\n\n{X64_SWITCH}\n\nx = np.product([1, 2])\n"
    assert ApiMigration.applies_to(old_api)

"""``jaxify.transform.transform`` against LibCST's own ``wrapper.visit``: for transformers that
change nothing, replace nodes, remove them (from sequences, optional and sentinel fields, and
statement bodies) and splice sequences in, on every corpus program and fixture input, the same
hooks are called on the same kinds of node in the same order, and the result prints the same."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify.analysis.providers import Wrapper
from jaxify.codemod import Codemod, FileContext
from jaxify.config import Options
from jaxify.suppression import Suppressions
from jaxify.transform import transform

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("corpus/**/*.py"), *ROOT.glob("tests/fixtures/**/*.py")])


def _modules():
    for path in SOURCES[::2]:  # every second source: the forms repeat, and LibCST's walk is slow
        try:
            yield path, cst.parse_module(path.read_text(encoding="utf-8"))
        except cst.ParserSyntaxError:
            continue


class _Recorder(cst.CSTTransformer):
    """Records each hook as (event, class of the node, class of the updated node)."""

    def __init__(self):
        super().__init__()
        self.events = []

    def on_visit(self, node):
        self.events.append(("visit", type(node).__name__))
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        self.events.append(("leave", type(original_node).__name__, type(updated_node).__name__))
        return super().on_leave(original_node, updated_node)


class _Unchanged(_Recorder):
    pass


class _Renames(_Recorder):
    def leave_Name(self, original_node, updated_node):
        return updated_node.with_changes(value=updated_node.value + "_") if len(updated_node.value) == 1 else updated_node


class _Removes(_Recorder):
    """Removals everywhere LibCST allows them: statements (a line that only held them goes too),
    elements of sequences, optional fields (annotations) and sentinel fields (commas)."""

    def leave_Pass(self, original_node, updated_node):
        return cst.RemovalSentinel.REMOVE

    def leave_Expr(self, original_node, updated_node):
        return cst.RemovalSentinel.REMOVE

    def leave_Annotation(self, original_node, updated_node):
        return cst.RemovalSentinel.REMOVE

    def leave_Comma(self, original_node, updated_node):
        return cst.RemovalSentinel.REMOVE

    def leave_Decorator(self, original_node, updated_node):
        return cst.RemovalSentinel.REMOVE


class _Splices(_Recorder):
    """FlattenSentinel in statement bodies and in a line's small statements."""

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if any(isinstance(statement, cst.Assign) for statement in updated_node.body):
            return cst.FlattenSentinel([updated_node, updated_node.with_changes(leading_lines=())])
        return updated_node

    def leave_Return(self, original_node, updated_node):
        return cst.FlattenSentinel([cst.Expr(cst.Name("before_return")), updated_node])


class _ReadsMetadata(_Recorder):
    """A transformer with metadata: the walk resolves it as LibCST's does."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def leave_Name(self, original_node, updated_node):
        line = self.get_metadata(PositionProvider, original_node).start.line
        return updated_node.with_changes(value=f"{updated_node.value}_{line}")


@pytest.mark.parametrize("wrapper_class", [MetadataWrapper, Wrapper], ids=["libcst's wrapper", "kept children"])
@pytest.mark.parametrize("transformer", [_Unchanged, _Renames, _Removes, _Splices, _ReadsMetadata])
def test_transform_calls_the_hooks_and_builds_the_module_libcst_does(transformer, wrapper_class):
    compared = 0
    for path, module in _modules():
        expected_hooks, found_hooks = transformer(), transformer()
        try:
            expected = MetadataWrapper(module, unsafe_skip_copy=True).visit(expected_hooks)
        except (TypeError, cst.CSTValidationError) as error:  # a removal LibCST refuses there
            with pytest.raises(type(error)):
                transform(wrapper_class(module, unsafe_skip_copy=True), found_hooks)
            continue
        found = transform(wrapper_class(module, unsafe_skip_copy=True), found_hooks)
        assert found.code == expected.code, path
        assert found_hooks.events == expected_hooks.events, path
        compared += 1
    assert compared > 100


def test_a_walk_that_changes_nothing_hands_back_the_module_and_its_nodes():
    for path, module in _modules():
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        assert transform(wrapper, _Unchanged()) is module, path


def test_only_the_path_to_a_changed_node_is_rebuilt():
    module = cst.parse_module("def f(a):\n    return a\n\ndef g(b):\n    return b + 1\n")
    renamed = transform(MetadataWrapper(module, unsafe_skip_copy=True), _Renames())
    assert renamed.code == "def f_(a_):\n    return a_\n\ndef g_(b_):\n    return b_ + 1\n"

    class OnlyG(cst.CSTTransformer):
        def leave_Integer(self, original_node, updated_node):
            return updated_node.with_changes(value="2")

    changed = transform(MetadataWrapper(module, unsafe_skip_copy=True), OnlyG())
    assert changed.code == "def f(a):\n    return a\n\ndef g(b):\n    return b + 2\n"
    assert changed.body[0] is module.body[0]  # f holds no integer: the very same node
    assert changed.body[1] is not module.body[1]


def test_a_removed_module_leaves_an_empty_one_as_libcsts_walk_does():
    class RemovesModule(cst.CSTTransformer):
        def leave_Module(self, original_node, updated_node):
            return cst.RemovalSentinel.REMOVE

    module = cst.parse_module("# a header\nx = 1\n")
    expected = MetadataWrapper(module, unsafe_skip_copy=True).visit(RemovesModule())
    found = transform(MetadataWrapper(module, unsafe_skip_copy=True), RemovesModule())
    assert found.code == expected.code
    assert not found.body


def test_a_transformer_with_a_field_hook_is_walked_by_libcst():
    class FieldHooked(_Recorder):
        def visit_Call_func(self, node):
            self.events.append(("field", "Call.func"))

    module = cst.parse_module("f(x)\n")
    expected_hooks, found_hooks = FieldHooked(), FieldHooked()
    MetadataWrapper(module, unsafe_skip_copy=True).visit(expected_hooks)
    transform(MetadataWrapper(module, unsafe_skip_copy=True), found_hooks)
    assert ("field", "Call.func") in found_hooks.events
    assert found_hooks.events == expected_hooks.events


class _SpansOfBuiltNodes(Codemod):
    """Notes, on leaving each call and each statement line, the span of a node it builds (one
    without a position): the position of the node the walk visited last."""

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        self.spans = []

    def leave_Call(self, original_node, updated_node):
        self.spans.append(self.span(cst.Name("built")))
        return updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):
        self.spans.append(self.span(cst.Name("built")))
        return updated_node


class _EntersFormatting(_SpansOfBuiltNodes):
    pass_over_formatting = None  # the walk enters every formatting node, as LibCST's does


def test_a_codemod_that_passes_over_formatting_reports_built_nodes_where_the_full_walk_does():
    # after `f(a, b)  # note`, the last node visited is the comment's line break, not the call
    text = "x = f(a,  b )  # note\nif y:\n    g( [1, 2] ,\n      c)\n"
    spans = []
    for codemod_class in (_SpansOfBuiltNodes, _EntersFormatting):
        context = FileContext(path="x.py", options=Options(), original_text=text, suppressions=Suppressions(text))
        wrapper = Wrapper(cst.parse_module(text), unsafe_skip_copy=True)
        codemod = codemod_class(context, wrapper)
        transform(wrapper, codemod)
        spans.append(codemod.spans)
    assert len(spans[0]) == 4 and spans[0] == spans[1]
    assert spans[0][0] != spans[0][1]  # the call's and its line's last nodes differ

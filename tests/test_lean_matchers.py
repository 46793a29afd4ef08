"""jaxify.lean_matchers: LibCST's matcher bookkeeping answered from memory, with LibCST's answers."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.matchers import _visitors

from jaxify.lean_matchers import known_undecorated


class _Plain(m.MatcherDecoratableTransformer):
    def leave_Name(self, original_node, updated_node):
        return updated_node.with_changes(value=updated_node.value.upper())


class _Decorated(m.MatcherDecoratableTransformer):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    @m.visit(m.Name())
    def note(self, node: cst.Name) -> None:
        self.seen.append(node.value)

    @m.call_if_inside(m.FunctionDef())
    def leave_Integer(self, original_node, updated_node):
        return updated_node.with_changes(value="0")


SOURCE = "x = 1\ndef f(a):\n    return a + 2\n"


def _run(visitor_class):
    visitor = visitor_class()
    return visitor, cst.parse_module(SOURCE).visit(visitor).code


def test_decorated_visitors_keep_their_hooks_on_every_instance():
    expected_visitor, expected = _run(_Decorated)
    with known_undecorated():
        for _ in range(3):  # the first instance is searched, the later ones are answered
            plain_visitor, plain = _run(_Plain)
            visitor, code = _run(_Decorated)
            assert code == expected == "x = 1\ndef f(a):\n    return a + 0\n"
            assert visitor.seen == expected_visitor.seen == ["x", "f", "a", "a"]
            assert plain == "X = 1\ndef F(A):\n    return A + 2\n"
            assert plain_visitor._extra_visit_funcs == {} and plain_visitor._matchers == {}


def test_an_instance_holding_a_decorated_function_is_searched():
    class Holder(m.MatcherDecoratableVisitor):
        pass

    with known_undecorated():
        assert Holder()._extra_visit_funcs == {}  # the class is now known to hold none
        holder = Holder.__new__(Holder)
        holder.extra = _Decorated().note  # LibCST's search finds a decorated method on the instance
        assert list(_visitors._gather_constructed_visit_funcs(holder).values()) == [(holder.extra,)]


def test_the_searches_are_libcsts_again_afterwards():
    before = {name: getattr(_visitors, name) for name in (
        "_gather_constructed_visit_funcs", "_gather_constructed_leave_funcs", "_gather_matchers")}
    try:
        with known_undecorated():
            raise RuntimeError("a failure inside")
    except RuntimeError:
        pass
    assert {name: getattr(_visitors, name) for name in before} == before


def test_the_import_visitors_give_libcsts_output():
    source = '"""Doc."""\nimport numpy as np\nfrom numpy import sin\n\n\ndef f(x):\n    return np.cos(x)\n'

    def rewrite():
        module = cst.parse_module(source)
        context = CodemodContext()
        AddImportsVisitor.add_needed_import(context, "jax.numpy", asname="jnp")
        AddImportsVisitor.add_needed_import(context, "jax")
        RemoveImportsVisitor.remove_unused_import(context, "numpy", "sin")
        module = AddImportsVisitor(context).transform_module(module)
        return RemoveImportsVisitor(context).transform_module(module).code

    expected = rewrite()
    assert "from numpy import sin" not in expected and "import jax.numpy as jnp" in expected
    with known_undecorated():
        assert rewrite() == rewrite() == expected

"""Loop data-flow analysis on small loops: iteration space, carried names, per-iteration outputs,
reductions, trajectories, live-out names and blockers."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from jaxify.analysis.loops import LoopInfo, analyze_loop
from jaxify.analysis.names import QualifiedNames


class _LoopFinder(cst.CSTVisitor):
    """The first loop of the first function, with the path from that function down to its parent."""

    def __init__(self) -> None:
        self.stack: list[cst.CSTNode] = []
        self.found: tuple[cst.CSTNode, list[cst.CSTNode]] | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found is None and isinstance(node, (cst.For, cst.While)) and self.stack:
            function_index = max(i for i, n in enumerate(self.stack) if isinstance(n, cst.FunctionDef))
            self.found = (node, list(self.stack[function_index:]))
        self.stack.append(node)
        return self.found is None

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def analyze(source: str, pure: tuple[str, ...] = ()) -> LoopInfo:
    wrapper = MetadataWrapper(cst.parse_module("import jax.numpy as jnp\n" + textwrap.dedent(source)))
    names = QualifiedNames(wrapper)
    finder = _LoopFinder()
    wrapper.module.visit(finder)
    loop, path = finder.found
    return analyze_loop(loop, path, names.qualified_name, lambda name: name in pure)


def reasons(info: LoopInfo) -> list[str]:
    return [blocker.reason for blocker in info.blockers]


def test_recurrence_carries_state_in_first_write_order():
    info = analyze("""
        def f(x, v, dt, n):
            for i in range(n):
                v = v - dt * x
                x = x + dt * v
            return x
    """)
    assert info.space.kind == "range" and info.space.index_name == "i"
    assert info.carried == ["v", "x"]
    assert info.live_out == {"x"}
    assert info.blockers == [] and info.outputs == []


def test_temporaries_are_not_carried():
    info = analyze("""
        def f(x, n):
            total = 0.0
            for i in range(n):
                term = jnp.square(x[i])
                total = total + term
            return total
    """)
    assert info.carried == ["total"]
    assert info.reductions == ["total"]
    assert "term" in info.written and "term" not in info.live_out


def test_a_name_read_after_the_loop_is_carried_even_if_not_read_inside():
    info = analyze("""
        def f(x, n):
            last = x[0]
            for i in range(n):
                last = jnp.sin(x[i])
            return last
    """)
    assert info.carried == ["last"]
    assert info.reductions == []


def test_output_written_only_at_the_loop_index():
    info = analyze("""
        def f(x):
            out = jnp.zeros_like(x)
            for i in range(x.shape[0]):
                out = out.at[i].set(jnp.sin(x[i]))
            return out
    """)
    assert [o.name for o in info.outputs] == ["out"]
    assert info.outputs[0].method == "set"


def test_reading_another_element_makes_it_a_carry_not_an_output():
    info = analyze("""
        def f(x):
            out = jnp.zeros_like(x)
            for i in range(1, x.shape[0]):
                out = out.at[i].set(out[i - 1] + x[i])
            return out
    """)
    assert info.outputs == []
    assert info.carried == ["out"]


def test_writing_at_another_index_is_not_an_output():
    info = analyze("""
        def f(x, n):
            out = jnp.zeros(n + 1)
            for i in range(n):
                out = out.at[i + 1].set(x[i])
            return out
    """)
    assert info.outputs == []


def test_index_of_an_enclosing_range_loop_counts_as_a_scalar():
    wrapper_source = """
        def f(X, n):
            D = jnp.zeros((n, n))
            for i in range(n):
                for j in range(n):
                    D = D.at[i, j].set(jnp.sum(X[i] * X[j]))
            return D
    """
    outer = analyze(wrapper_source)
    assert outer.outputs == [] and outer.carried == ["D"]  # the write sits in the inner loop
    module = MetadataWrapper(cst.parse_module("import jax.numpy as jnp\n" + textwrap.dedent(wrapper_source)))
    names = QualifiedNames(module)
    function = module.module.body[1]
    outer_loop = function.body.body[1]
    inner_loop = outer_loop.body.body[0]
    inner = analyze_loop(inner_loop, [function, function.body, outer_loop, outer_loop.body], names.qualified_name, lambda n: False)
    assert [o.name for o in inner.outputs] == ["D"]


def test_trajectory_append_is_recognised():
    info = analyze("""
        def f(x, n):
            xs = []
            for t in range(n):
                x = jnp.cos(x)
                xs.append(x)
            return jnp.stack(xs)
    """)
    assert [t.name for t in info.trajectories] == ["xs"]
    assert info.carried == ["x"]
    assert info.blockers == []


def test_while_test_reads_count_as_exposed():
    info = analyze("""
        def f(x, tol):
            err = 1.0
            while err > tol:
                new = jnp.cos(x)
                err = jnp.abs(new - x)
                x = new
            return x
    """)
    assert info.space.kind == "while"
    assert set(info.carried) == {"err", "x"}


def test_iterating_an_array_enumerate_and_zip():
    assert analyze("def f(a):\n    s = 0.0\n    for row in a:\n        s = s + jnp.sum(row)\n    return s\n").space.kind == "array"
    info = analyze("def f(a):\n    s = 0.0\n    for i, row in enumerate(a):\n        s = s + i * jnp.sum(row)\n    return s\n")
    assert info.space.kind == "enumerate" and info.space.index_name == "i"
    assert analyze("def f(a, b):\n    s = 0.0\n    for x, y in zip(a, b):\n        s = s + jnp.dot(x, y)\n    return s\n").space.kind == "zip"


@pytest.mark.parametrize(
    "body, reason",
    [
        ("print(s)", "I/O (`print`)"),
        ("s = float(s)", "needs a concrete value"),
        ("s = update(s)", "calls `update`, not known to be pure"),
        ("s = np.sum(x)", "calls NumPy"),
        ("s = s + np.random.normal()", "global random state"),
        ("items.extend([s])", "mutates `items`"),
        ("x = jnp.append(x, s)", "changes shape every iteration"),
        ("s = s + jnp.mean(x[i:])", "slice whose bounds change"),
        ("s = s + jnp.dot(x[i:], x[i + 1:])", "slice whose bounds change"),
        ("self.total = s", "attribute assignment"),
    ],
)
def test_blockers(body, reason):
    info = analyze(f"""
        import numpy as np
        def f(x, n, items, self):
            s = 0.0
            for i in range(n):
                s = s + jnp.sum(x)
                {body}
            return s, x
    """)
    assert any(reason in r for r in reasons(info)), reasons(info)


def test_conditional_expression_on_traced_value_is_a_select_not_a_blocker():
    info = analyze("""
        import numpy as np
        def f(x, n):
            s = 0.0
            for i in range(n):
                s = s + jnp.sum(x)
                s = s if s > 0 else -s
            return s
    """)
    assert not info.blockers and info.choices


def test_pure_helper_is_not_a_blocker():
    source = """
        def f(x, n):
            for i in range(n):
                x = helper(x)
            return x
    """
    assert analyze(source, pure=("helper",)).blockers == []
    assert analyze(source).blockers != []


def test_loop_variable_read_after_the_loop_blocks():
    info = analyze("""
        def f(x, n):
            s = 0.0
            for i in range(n):
                s = s + x[i]
            return s, i
    """)
    assert any("loop variable `i`" in r for r in reasons(info))


def test_a_later_loop_rebinding_the_index_is_not_a_read_of_it():
    info = analyze("""
        def f(x, n):
            s = 0.0
            for i in range(n):
                s = s + x[i]
            t = 0.0
            for i in range(n):
                t = t + x[i] * i
            return s, t
    """)
    assert "i" not in info.live_out
    assert info.blockers == []


def test_fixed_length_window_is_not_a_blocker():
    info = analyze("""
        def f(x, n):
            s = 0.0
            for i in range(n):
                s = s + jnp.sum(x[i:i + 3])
            return s
    """)
    assert info.blockers == []
    assert len(info.windows) == 1


def test_conversion_before_at_is_hoisted_out_of_the_data_flow():
    info = analyze("""
        def f(x, n):
            out = np.zeros(n)
            for i in range(n):
                out = jnp.asarray(out)
                out = out.at[i].set(jnp.sin(x[i]))
            return out
    """)
    assert len(info.conversions) == 1
    assert [o.name for o in info.outputs] == ["out"]


def test_early_return_is_recognised_and_not_a_blocker():
    info = analyze("""
        def f(x, tol, n):
            for k in range(n):
                x_new = jnp.cos(x)
                if jnp.abs(x_new - x) < tol:
                    return x_new
                x = x_new
            return x
    """)
    assert info.early_return is not None
    assert info.blockers == []


@pytest.mark.parametrize("kind", ["break", "continue"])
def test_break_continue_and_traced_ifs_anywhere_in_the_body_are_not_blockers(kind):
    info = analyze(f"""
        def f(x, n):
            s = 0.0
            for i in range(n):
                if s > 0:
                    s = s - 1.0
                    if x[i] < 0:
                        {kind}
                s = s + x[i]
            return s
    """)
    assert info.breaks == (kind == "break")
    assert info.blockers == []


def test_the_index_of_a_range_loop_that_breaks_may_be_read_after_it():
    info = analyze("""
        def f(x, n):
            i = 0
            for i in range(n):
                if x[i] < 0:
                    break
            return i
    """)
    assert info.index_live_out and info.blockers == []

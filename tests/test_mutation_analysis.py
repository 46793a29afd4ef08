"""The mutation and aliasing analysis states the right facts at each in-place write."""

from __future__ import annotations

import textwrap

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify.analysis import Kind, analyze
from jaxify.analysis.mutation import MutationAnalysis
from jaxify.config import Options


def writes_of(source: str, function: str):
    """Line -> the write recorded there (for a helper call: the write of its first parameter)."""
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    analysis = analyze(wrapper, Options())
    positions = wrapper.resolve(PositionProvider)
    mutation = MutationAnalysis(
        wrapper.module,
        qualified_name=analysis.qualified_name,
        classify_call=lambda call: None,
        is_array=lambda expr: analysis.kind_of(expr) is Kind.ARRAY,
        line_of=lambda node: positions[node].start.line if node in positions else 0,
    )
    scope = next(s for s in mutation.scopes if s.function is not None and s.function.name.value == function)
    found = {}
    for write in scope.writes:
        found.setdefault(positions[write.node].start.line, write)
    return found, scope.writes


def test_alias_and_view_share_the_buffer():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(n):
            a = np.zeros(n)
            b = a
            v = a[1:]
            a[0] = 1.0
            v[0] = 2.0
            return b
        """,
        "f",
    )
    assert set(writes[7].sharers) == {"b", "v"}
    assert set(writes[8].sharers) == {"a", "b"}
    assert all(ref.view for ref in writes[8].refs)


def test_copy_and_rebinding_make_a_fresh_buffer():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(x):
            y = x.copy()
            y[0] = 1.0
            x = np.ones(3)
            x[0] = 2.0
            return x, y
        """,
        "f",
    )
    assert not writes[5].sharers and {r.buffer.origin for r in writes[5].refs} == {"local"}
    assert not writes[7].sharers and {r.buffer.origin for r in writes[7].refs} == {"local"}


def test_parameter_written_directly_and_through_a_view():
    writes, _ = writes_of(
        """
        def f(a, b):
            a[0] = 1.0
            row = b[0]
            row[1] = 2.0
        """,
        "f",
    )
    assert {(r.buffer.origin, r.buffer.name, r.view) for r in writes[3].refs} == {("param", "a", False)}
    assert {(r.buffer.origin, r.buffer.name, r.view) for r in writes[5].refs} == {("param", "b", True)}


def test_branches_join_and_loops_reach_a_fixpoint():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(x, flag, n):
            out = np.zeros(n)
            prev = np.zeros(n)
            for i in range(n):
                out[i] = 1.0
                prev = out
            if flag:
                y = x
            else:
                y = np.zeros(n)
            y[0] = 3.0
        """,
        "f",
    )
    # on the second trip round the loop, `prev` holds the array `out` is about to write
    assert "prev" in writes[7].sharers
    assert {r.buffer.origin for r in writes[13].refs} == {"param", "local"}


def test_containers_attributes_and_globals_are_escapes():
    writes, _ = writes_of(
        """
        import numpy as np
        GRID = np.zeros(3)
        def f(n, box):
            a = np.zeros(n)
            pair = [a, 1]
            box.held = a
            a[0] = 1.0
            GRID[0] = 2.0
        """,
        "f",
    )
    assert writes[8].escapes
    assert {r.buffer.origin for r in writes[9].refs} == {"global"}


def test_helper_calls_are_recorded_with_the_parameter_they_bind():
    writes, every = writes_of(
        """
        def _fill(target, value):
            target[0] = value
        def g(x):
            _fill(x, 1.0)
            _fill(value=2.0, target=x)
        """,
        "g",
    )
    assert (writes[5].form, writes[5].callee, writes[5].param, writes[5].name) == ("helper", "_fill", "target", "x")
    assert {(w.param, w.name) for w in every if w.node is writes[6].node} == {("target", "x"), ("value", None)}


def test_an_array_made_again_on_every_loop_run_is_not_the_one_older_names_hold():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(u0, steps):
            u = u0.copy()
            for t in range(steps):
                fresh = np.empty(3)
                fresh[0] = u[0]
                u = fresh
            return u
        """,
        "f",
    )
    assert writes[7].sharers == {}


def test_a_name_bound_to_an_existing_buffer_on_the_same_line_still_shares_it():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(steps):
            for t in range(steps):
                a = np.zeros(3); b = a
                a[0] = 1.0
            return b
        """,
        "f",
    )
    assert set(writes[6].sharers) == {"b"}


def test_a_sharer_holding_an_element_read_is_recorded_with_the_read():
    writes, _ = writes_of(
        """
        import numpy as np
        def f(a):
            x = a.copy()
            y = x
            for i in range(x.shape[0] - 1):
                tmp = x[i]
                row = x[i:]
                x[i] = x[i + 1]
        """,
        "f",
    )
    reads = writes[9].sharer_reads
    assert set(reads) == {"y", "tmp", "row"}
    assert [(r.base, r.indices, r.shown) for r in reads["tmp"]] == [("x", 1, "x[i]")]
    assert reads["y"] == frozenset({None}) and reads["row"] == frozenset({None})  # an alias, a slice's view

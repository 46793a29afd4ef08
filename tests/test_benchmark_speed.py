"""The speed columns both benchmarks print (benchmarks/speed.py), on tiny synthetic functions.

Issue 12 asks that no corpus function be slower than its original, called as before, without a
finding that says so. Whether a function *is* slower is a timing, and timings on a shared machine
are not deterministic, so this suite does not assert on them: it checks the mechanism that turns
measured times and findings into the benchmark's "slower without a finding" list (fed with given
times), and that the measurement produces every column on a real, tiny function. The benchmarks
themselves print the list for the corpus.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SPEED = Path(__file__).parent.parent / "benchmarks" / "speed.py"
ORIGINAL = """
import numpy as np


def halve(x, n):
    for i in range(n):
        x = x * 0.5
    return x
"""
REWRITTEN = """
import jax.numpy as jnp
from jax import lax


def halve(x, n):
    return lax.fori_loop(0, n, lambda i, x: x * 0.5, x)
"""
NOT_TRACEABLE = """
import numpy as np


def halve(x, n):
    for i in range(n):
        if x[0] > 1.0:
            x = x * 0.5
    return x
"""


@pytest.fixture(scope="module")
def speed():
    sys.path.insert(0, str(SPEED.parent))
    spec = importlib.util.spec_from_file_location("benchmark_speed", SPEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(original_ms, as_called_ms, small=None):
    sizes = {"large": {"original_ms": original_ms, "as_called_ms": as_called_ms}}
    if small:
        sizes["small"] = {"original_ms": small[0], "as_called_ms": small[1]}
    return {"function": "f", "sizes": sizes}


def test_a_rewrite_slower_than_its_original_is_listed_unless_a_finding_says_so(speed):
    faster, slower, slower_when_small = _row(10.0, 1.0), _row(1.0, 10.0), _row(10.0, 1.0, small=(0.1, 0.5))
    within_noise = _row(1.0, 1.0 + speed.NOISE / 2)
    silent = {"message": "loop rewritten to lax.fori_loop", "reason": "", "hint": ""}
    told = {"message": "not wrapped in jax.jit (--no-jit)", "reason": "",
            "hint": "eager calls of the rewrite will be slower than the original"}
    findings = {id(faster): [silent], id(slower): [silent], id(slower_when_small): [told]}
    listed = speed.slower_without_finding([faster, slower, slower_when_small], lambda row: findings[id(row)])
    assert listed == [slower]
    assert speed.is_slower(slower_when_small) and not speed.is_slower(faster)
    assert not speed.is_slower(within_noise)  # timing noise is not a regression


def test_the_small_input_caveat_of_jx801_excuses_only_the_example_sizes(speed):
    caveat = {"code": "JX801", "message": "`f` is jit-compatible -> `jax.jit`", "reason": "",
              "hint": "on small inputs the rewrite can be slower than the NumPy original"}
    slower_when_small, slower_at_work = _row(1.0, 2.0, small=(0.1, 0.5)), _row(10.0, 1.0)
    slower_at_work["sizes"]["work"] = {"original_ms": 50.0, "as_called_ms": 90.0}
    listed = speed.slower_without_finding([slower_when_small, slower_at_work], lambda row: [caveat])
    assert listed == [slower_at_work]
    sequential = {"code": "JX303", "message": "loop rewritten as `lax.fori_loop` (carries `d`; n iterations); "
                                              "sequential: iterations read elements of `d` that other iterations write"}
    assert not speed.explains_cost([caveat]) and speed.explains_cost([caveat, sequential])


def test_the_first_blocker_is_the_first_finding_not_fixed(speed):
    findings = [{"line": 9, "code": "JX305", "status": "not fixed", "message": "loop left alone: `break` (line 14)"},
                {"line": 3, "code": "JX601", "status": "fixed", "message": "np -> jnp"}]
    assert speed.first_blocker(findings) == "line 9: JX305 loop left alone: `break` (line 14)"
    assert speed.first_blocker(findings[1:]) == ""


def test_measure_gives_every_column_at_the_small_large_and_working_size(speed):
    import jax
    import numpy as np

    jax.config.update("jax_enable_x64", True)
    modules = {"original": speed.load(ORIGINAL, "speed_test_original"),
               "rewritten": speed.load(REWRITTEN, "speed_test_rewritten"),
               "reference": speed.load(REWRITTEN, "speed_test_reference")}
    modules["numba"], _ = speed.numba_module(ORIGINAL, "speed_test_numba")
    calls = [((np.ones(1000), 20), {}), ((np.ones(3), 20), {})]
    work = [((np.ones(5000), 200), {})]
    row = speed.measure("halve", modules, calls, static=("n",), work=work)
    assert row["jits"] and row["blocker"] == ""
    assert list(row["sizes"]) == ["large", "small", "work"]
    for columns in row["sizes"].values():
        for name in ("original_ms", "as_called_ms", "jitted_ms", "reference_ms", "compile_ms"):
            assert columns[name] > 0, name
        assert (columns["numba_ms"] is not None) == (modules["numba"] is not None)
    assert row["sizes"]["work"]["equivalent"] is True  # checked again at the working size
    assert "equivalent" not in row["sizes"]["large"]  # the benchmarks check the examples themselves


def test_a_divergence_that_shows_only_at_the_working_size_is_reported(speed):
    import jax
    import numpy as np

    jax.config.update("jax_enable_x64", True)
    # a rewrite off by one past 100 steps: equal on the examples (20 steps), not at the working size (200)
    diverging = REWRITTEN.replace("x * 0.5, x)", "x * 0.5, x) + (1.0 if n > 100 else 0.0)")
    modules = {"original": speed.load(ORIGINAL, "speed_test_original_d"),
               "rewritten": speed.load(diverging, "speed_test_rewritten_d")}
    row = speed.measure("halve", modules, [((np.ones(8), 20), {})], static=("n",), work=[((np.ones(8), 200), {})])
    row.update(program="p", changed=True, equivalent=True, findings=[])
    assert row["sizes"]["work"]["equivalent"] is False and row["sizes"]["work"]["equivalence_note"]
    summary = speed.summarize([row])
    assert summary["not_equivalent_at_work_size"] == ["p.halve"]
    assert summary["by_size"]["work"]["trusted"] == 0 and summary["by_size"]["large"]["trusted"] == 1


def test_the_summary_reads_the_done_when_figures_at_the_working_size(speed):
    def columns(original, jitted, reference):
        return {"original_ms": original, "jitted_ms": jitted, "reference_ms": reference, "numba_ms": None,
                "as_called_ms": original, "compile_ms": 1.0}

    fast = {"program": "p", "function": "f", "changed": True, "equivalent": True, "jits": True, "findings": [],
            "sizes": {"large": columns(1.0, 0.1, 0.1), "work": columns(100.0, 1.0, 0.5)}}
    behind = {**fast, "function": "g", "sizes": {"large": columns(1.0, 0.1, 0.1), "work": columns(100.0, 4.0, 1.0)}}
    summary = speed.summarize([fast, behind])
    assert summary["done_when_size"] == "work"
    assert summary["by_size"]["large"]["median_speedup"] == pytest.approx(10.0)
    assert summary["by_size"]["work"]["median_speedup"] == pytest.approx((100.0 + 25.0) / 2)
    assert summary["by_size"]["work"]["median_reference_over_rewrite"] == pytest.approx((0.5 + 0.25) / 2)
    assert summary["far_behind_reference"] == ["p.g"] == summary["far_behind_reference_without_finding"]
    assert summary["by_size"]["small"]["timed"] == 0


def test_a_rewrite_that_does_not_trace_names_its_blocker(speed):
    import jax
    import numpy as np

    jax.config.update("jax_enable_x64", True)
    rewritten = speed.load(NOT_TRACEABLE.replace("import numpy as np", "import jax.numpy as np"), "speed_test_blocked")
    jitted, blocker = speed.end_to_end_jit(rewritten.halve, ("n",), (np.ones(4) * 3, 5), {})
    assert jitted is None
    assert "jax.jit" in blocker and "rewritten line 7" in blocker


def test_numba_is_optional_and_its_failures_are_n_a(speed, monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # as if the bench extra were not installed
    module, note = speed.numba_module(ORIGINAL, "speed_test_no_numba")
    assert module is None and note.startswith("n/a")
    monkeypatch.undo()
    pytest.importorskip("numba")
    module, note = speed.numba_module("import json\n\ndef dump(x):\n    return json.dumps(x)\n", "speed_test_json")
    milliseconds, why = speed.numba_ms(module, "dump", ([1, 2],), {})
    assert milliseconds is None and why.startswith("n/a: ")


def test_a_call_past_the_budget_is_stopped_and_counts_as_slower(speed, monkeypatch):
    import time

    monkeypatch.setattr(speed, "BUDGET_SECONDS", 0.2)
    milliseconds, note = speed.bounded_ms(lambda a, k: time.sleep(5), lambda: ((), {}))
    assert milliseconds is None and note == "over 0.2 s (stopped)"
    row = {"function": "f", "sizes": {"large": {"original_ms": 1.0, "as_called_ms": None, "as_called_note": note}}}
    assert speed.is_slower(row) and speed.format_called(row["sizes"]["large"]) == ">0.2s"

"""Smoke runs of benchmarks/corpus.py and benchmarks/loops.py on one program each: they print the
table and the summary, with the working-size column, and write the JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
SUMMARY_LINES = ("by input size", "done-when figures (issues 12, 13) are read at `work`",
                 "JAX slower than NumPy at the small input", "reference's speed (at `work`, else `large`)",
                 "not equivalent under jit at the working size", "slower than the original as called",
                 "of which without a finding that says so")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", BENCHMARKS / f"{name}.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    return benchmark


def test_benchmark_prints_and_writes_the_summary(tmp_path, capsys):
    benchmark = _load("corpus")
    out = tmp_path / "bench.json"
    assert benchmark.main(["--only", "loop_ode_rk4", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in ("cases rewritten:", "runs:", "median speedup over the original:",
                 "median speed of the rewrite relative to the hand-written reference:", "device:",
                 "loop_/cond_ functions rewritten, equivalent and jitting end to end:", *SUMMARY_LINES):
        assert line in printed
    summary = json.loads(out.read_text())["summary"]
    assert summary["programs"] == 1 and summary["cases"] == 2
    assert summary["equivalent"] <= summary["runs"] <= summary["rewritten"] <= summary["cases"]
    assert summary["family_functions"] == 2
    assert summary["family_rewritten_equivalent_jitting"] <= summary["equivalent"]
    functions = json.loads(out.read_text())["programs"][0]["speed"]
    assert {f["function"] for f in functions} == {"derivative", "integrate_rk4"}
    for function in functions:
        assert function["jits"] or function["blocker"], function
        assert not function["rewritten"] or set(function["sizes"]) >= {"large"}
    if summary["equivalent"]:
        assert summary["median_speedup"] > 0 and summary["median_vs_reference"] > 0


def test_loops_benchmark_times_the_working_size(tmp_path, capsys):
    """loop_logistic_recurrence: two loop functions, each cheap at its working size."""
    out = tmp_path / "loops.json"
    assert _load("loops").main(["--unsafe", "--only", "loop_logistic_recurrence", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in ("loop programs: 1;", *SUMMARY_LINES):
        assert line in printed
    written = json.loads(out.read_text())
    assert {row["function"] for row in written["rows"]} == {"logistic_orbit", "chebyshev_table"}
    for row in written["rows"]:
        assert "work" in row["sizes"] and row["sizes"]["work"]["original_ms"] > 0, row["function"]
        assert row["sizes"]["work"]["numba_ms"] is not None or row["sizes"]["work"]["numba_note"]
        if row["jits"]:
            assert row["sizes"]["work"]["equivalent"] in (True, False)
    assert written["summary"]["done_when_size"] == "work"
    assert set(written["summary"]["by_size"]) == {"small", "large", "work"}

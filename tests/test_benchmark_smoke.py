"""A smoke run of benchmarks/corpus.py on one program: it prints the table and writes the JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "corpus.py"


def test_benchmark_prints_and_writes_the_summary(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("corpus_benchmark", BENCHMARK)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    out = tmp_path / "bench.json"
    assert benchmark.main(["--only", "loop_ode_rk4", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in ("cases rewritten:", "runs:", "median speedup over the original:",
                 "median speed of the rewrite relative to the hand-written reference:", "device:",
                 "loop_/cond_ functions rewritten, equivalent and jitting end to end:",
                 "median speedup of the original under numba.njit:", "JAX slower than NumPy at the small input",
                 "slower than the original as called", "of which without a finding that says so"):
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

"""benchmarks/tool_speed.py: the generated tree is deterministic, the stage clock leaves nothing
patched behind, and one small run prints every figure (no timing is asserted)."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

import libcst

from jaxify import engine
from jaxify.config import Options

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from legacy_tree import generate_tree  # noqa: E402
from stage_clock import StageClock  # noqa: E402


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.py"))}


def test_the_generated_tree_is_deterministic_and_legacy_shaped(tmp_path):
    generate_tree(tmp_path / "a", total_lines=2000, seed=1)
    generate_tree(tmp_path / "b", total_lines=2000, seed=1)
    generate_tree(tmp_path / "c", total_lines=2000, seed=2)
    first = tree_bytes(tmp_path / "a")
    assert first == tree_bytes(tmp_path / "b") and first != tree_bytes(tmp_path / "c")
    assert sum(data.count(b"\n") for data in first.values()) >= 2000
    kinds = {Path(name).name.split("_")[0] for name in first}
    assert {"numeric", "stochastic", "annotations", "plain"} <= kinds
    for data in first.values():
        ast.parse(data)
    text = b"".join(first.values())
    for marker in (b"for i in range", b"np.random.", b"] += ", b": np.ndarray"):
        assert marker in text


def test_the_stage_clock_counts_stages_and_restores_what_it_wrapped():
    originals = (libcst.parse_module, engine.run_codemods, libcst.Module.__dict__["code"])
    clock = StageClock()
    with clock:
        # a file that changes: an untouched tree is never printed
        engine.rewrite_text("import numpy as np\n\n\ndef f(x):\n    return np.sum(x)\n", "m.py",
                            Options(assume_numeric_inputs=True))
    assert (libcst.parse_module, engine.run_codemods, libcst.Module.__dict__["code"]) == originals
    stages = {stage for stage, _seconds, _calls in clock.table()}
    assert {"parse", "metadata", "print (code generation)"} <= stages
    assert any(stage.startswith("codemod ") for stage in stages)


def test_a_small_run_prints_every_figure(tmp_path, capsys, monkeypatch):
    spec = importlib.util.spec_from_file_location("tool_speed", BENCHMARKS / "tool_speed.py")
    benchmark = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "tool_speed", benchmark)  # its dataclass looks itself up there
    spec.loader.exec_module(benchmark)
    out = tmp_path / "speed.json"
    assert benchmark.main(["--lines", "120", "--jobs", "1", "--profile-files", "1", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in ("first dry run", "rerun, unchanged tree", "--apply", "libcst no-op codemod",
                 "dry run / libcst no-op", "rerun / first run", "per stage", "cProfile of the slowest file"):
        assert line in printed
    figures = json.loads(out.read_text())
    assert all(run["exit"] == 0 for run in figures["runs"].values())
    assert all(run["peak_mib"] > 0 for run in figures["runs"].values())
    assert "parse" in figures["stages"]

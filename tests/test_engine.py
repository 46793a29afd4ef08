"""The engine: reading and writing files without losing anything, discovery, suppressions."""

from __future__ import annotations

import ctypes
import gc
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst

from jaxify.config import Options
from jaxify.discovery import iter_python_files
from jaxify.engine import process_file, rewrite_text
from jaxify.linemap import LineMap
from jaxify.runner import Limits, iter_results, largest_first, still_working
from jaxify.suppression import Suppressions

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
MODERN = "import jax\n\n\ndef scale(tree):\n    return jax.tree.map(lambda x: 2 * x, tree)\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_rewrite_changes_legacy_code():
    result = rewrite_text(LEGACY, "m.py", Options())
    assert result.rewritten == MODERN
    assert not result.failed


def test_crlf_newlines_are_kept(tmp_path):
    path = write(tmp_path / "m.py", LEGACY.replace("\n", "\r\n"))
    result = process_file(path, Options(), apply=True)
    assert result.written
    assert path.read_bytes() == MODERN.replace("\n", "\r\n").encode()


def test_bom_and_declared_encoding_are_kept(tmp_path):
    bom = write(tmp_path / "bom.py", b"\xef\xbb\xbf" + LEGACY.encode())
    latin = write(
        tmp_path / "latin.py",
        ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + LEGACY).encode("latin-1"),
    )
    process_file(bom, Options(), apply=True)
    process_file(latin, Options(), apply=True)
    assert bom.read_bytes() == b"\xef\xbb\xbf" + MODERN.encode()
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + MODERN).encode("latin-1")


def test_file_mode_is_kept_and_no_temporary_is_left(tmp_path):
    path = write(tmp_path / "m.py", LEGACY)
    path.chmod(0o750)
    process_file(path, Options(), apply=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


def test_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path / "m.py", LEGACY)
    result = process_file(path, Options(), apply=False)
    assert result.changed and not result.written
    assert path.read_text() == LEGACY


def test_undecodable_file_is_an_engine_finding(tmp_path):
    path = write(tmp_path / "bad.py", b"import numpy\nx = '\xff\xfe'\n")
    result = process_file(path, Options(), apply=True)
    assert result.failed
    assert [f.code for f in result.findings] == ["JX001"]
    assert path.read_bytes() == b"import numpy\nx = '\xff\xfe'\n"


def test_syntax_error_reports_the_parser_line(tmp_path):
    path = write(tmp_path / "bad.py", "import numpy as np\n\nx = np.zeros((3,)\n")
    result = process_file(path, Options(), apply=True)
    assert result.failed
    (finding,) = result.findings
    assert finding.code == "JX002" and finding.line >= 3


def test_files_without_numpy_or_jax_are_not_parsed(tmp_path):
    path = write(tmp_path / "other.py", "def broken(:\n")
    result = process_file(path, Options(), apply=False)
    assert result.skipped and not result.failed


def test_unreadable_file_is_reported(tmp_path):
    folder = tmp_path / "not_a_file.py"
    folder.mkdir()
    result = process_file(folder, Options(), apply=True)
    assert result.failed and result.findings[0].code == "JX001"


def test_skip_file_directive():
    assert rewrite_text("# jaxify: skip-file\n" + LEGACY, "m.py", Options()).rewritten is None


def test_ignore_comment_on_a_line_and_on_a_function():
    line = LEGACY.replace("tree)\n", "tree)  # jaxify: ignore[JX5]\n")
    assert rewrite_text(line, "m.py", Options()).rewritten is None
    function = LEGACY.replace("def scale(tree):", "def scale(tree):  # jaxify: ignore")
    assert rewrite_text(function, "m.py", Options()).rewritten is None
    other_rule = LEGACY.replace("tree)\n", "tree)  # jaxify: ignore[JX301]\n")
    assert rewrite_text(other_rule, "m.py", Options()).rewritten == other_rule.replace("tree_map", "tree.map")


def test_suppressions_parse_codes_and_prefixes():
    suppressions = Suppressions("x = 1  # jaxify: ignore[JX301, jx5]\ny = 2\n")
    assert suppressions.is_suppressed("JX301", 1)
    assert suppressions.is_suppressed("JX512", 1)
    assert not suppressions.is_suppressed("JX302", 1)
    assert not suppressions.is_suppressed("JX301", 2)


def test_rule_selection_most_specific_prefix_wins():
    options = Options(select=("JX5",), ignore=("JX50",))
    assert not options.is_selected("JX501")
    assert Options(select=("JX501",), ignore=("JX5",)).is_selected("JX501")
    assert not Options(select=("JX3",)).is_selected("JX501")
    assert Options().is_selected("JX999")


def test_discovery_skips_tool_folders_and_virtualenvs(tmp_path):
    for folder in (".git", "build", "dist", "__pycache__", "node_modules", "env"):
        write(tmp_path / folder / "x.py", LEGACY)
    write(tmp_path / "env" / "pyvenv.cfg", "home = /usr\n")
    kept = write(tmp_path / "pkg" / "m.py", LEGACY)
    write(tmp_path / "pkg" / "notes.txt", LEGACY)
    assert list(iter_python_files([tmp_path])) == [kept]


def test_discovery_never_follows_a_symlink_out_of_the_tree(tmp_path):
    outside = write(tmp_path / "outside" / "o.py", LEGACY)
    tree = tmp_path / "tree"
    inside = write(tree / "m.py", LEGACY)
    (tree / "link_dir").symlink_to(outside.parent, target_is_directory=True)
    (tree / "link_file.py").symlink_to(outside)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    assert list(iter_python_files([tree])) == [inside]


def test_discovery_exclude_globs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # patterns are gitignore-style, relative to the current folder
    write(tmp_path / "gen" / "a.py", LEGACY)
    kept = write(tmp_path / "src" / "b.py", LEGACY)
    assert list(iter_python_files([tmp_path], ("gen",))) == [kept]
    assert list(iter_python_files([tmp_path], ("gen/*",))) == [kept]


def test_names_rebound_many_times_stay_cheap_to_analyse():
    """Legacy code rebinds `norm`, `steer`, ... again and again; each use must not re-walk every
    earlier binding (that was exponential: this case never finished). SIGALRM only guards a hang."""
    import signal

    body = ["    steer = velocity * 1.0", "    norm = velocity * 1.0"]
    for _ in range(12):
        body += [
            "    norm = np.sqrt((steer * steer).sum(axis=1)).reshape(n, 1)",
            "    steer = np.multiply(steer, limit / norm, out=steer, where=norm > limit)",
            "    steer -= velocity",
        ]
    source = (
        "import numpy as np\n\n\ndef f(velocity, limit, n):\n" + "\n".join(body) + "\n    return steer\n"
    )

    def hang(*_):
        raise TimeoutError("analysis did not finish")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(300)
    try:
        result = rewrite_text(source, "m.py", Options())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not result.failed


CASCADE = '''import numpy as np


class Markers:
    def __init__(self, n):
        self._vertices = np.arange(n * 8, dtype=float).reshape(n, 4, 2)

    def rotate(self, c, s):
        n = len(self._vertices)
        R = np.zeros((n, 2, 2))
        R[:, 0, 0] = c
        R[:, 0, 1] = -s
        self._vertices[...] = np.einsum("ijk,ilk->ijl", self._vertices, R)
'''


def test_pipeline_runs_to_a_fixpoint_when_one_rewrite_enables_another():
    """The in-place rewrite makes `R` a jax array, which lets `np.einsum(..., R)` move in a
    second pass: the engine repeats the pipeline instead of refusing the file. (Statement by
    statement: the whole-function gate keeps `rotate` on NumPy, since it writes `self` in place.)"""
    from harness import assert_same, load_module

    result = rewrite_text(CASCADE, "m.py", Options(assume_numeric_inputs=True, partial=True))
    assert not result.failed, result.findings
    assert "jnp.einsum" in result.rewritten and "R.at[:, 0, 0].set(c)" in result.rewritten
    assert rewrite_text(result.rewritten, "m.py", Options()).rewritten is None
    fixed_lines = {f.line for f in result.findings if f.status.value == "fixed"}
    assert {11, 13} <= fixed_lines  # the write, and the call that moved in the second pass

    original, rewritten = load_module(CASCADE).Markers(3), load_module(result.rewritten).Markers(3)
    original.rotate(0.5, 0.25)
    rewritten.rotate(0.5, 0.25)
    assert_same(original._vertices, rewritten._vertices)


# -- the runner: every file in a worker, a bad file fails alone ------------------------------------------

def misbehaving_process_file(path: Path, options: Options, apply: bool):
    """``process_file``, except for files named after a way to fail (the worker imports this by name)."""
    if path.name == "segfault.py":
        ctypes.string_at(0)
    if path.name == "slow.py":
        time.sleep(600)
    if path.name == "huge.py":
        bytearray(8 << 30)
    if path.name == "slices.py":  # a large module's slices, each within the time limit
        for _ in range(4):
            time.sleep(1.0)
            still_working()
    return process_file(path, options, apply)


def _run(files, **limits):
    results = list(iter_results(files, Options(), apply=True, jobs=2, limits=Limits(**limits),
                                work=misbehaving_process_file))
    return {Path(result.path).name: result for result in results}


def _tree(tmp_path: Path, *bad: str) -> list[Path]:
    return [write(tmp_path / name, LEGACY) for name in ("a.py", *bad, "b.py", "c.py")]


def test_a_native_crash_fails_its_file_only(tmp_path):
    results = _run(_tree(tmp_path, "segfault.py"))
    assert sorted(results) == ["a.py", "b.py", "c.py", "segfault.py"]
    (finding,) = results["segfault.py"].findings
    assert finding.code == "JX003" and "SIGSEGV" in finding.message
    assert all(results[name].written for name in ("a.py", "b.py", "c.py"))
    assert (tmp_path / "segfault.py").read_text() == LEGACY


def test_the_per_file_time_limit_fails_the_slow_file_and_names_the_limit(tmp_path):
    results = _run(_tree(tmp_path, "slow.py"), seconds=20)  # ample for the others on a loaded machine
    (finding,) = results["slow.py"].findings
    assert finding.code == "JX003" and "time limit of 20 s (--file-timeout)" in finding.message
    assert all(results[name].written for name in ("a.py", "b.py", "c.py"))


def test_the_per_file_memory_limit_fails_the_file_and_a_fresh_worker_goes_on(tmp_path):
    results = _run(_tree(tmp_path, "huge.py"), memory_mb=3072)
    (finding,) = results["huge.py"].findings
    assert finding.code == "JX003" and "memory (per-file limit 3072 MiB, --file-memory)" in finding.message
    assert all(results[name].written for name in ("a.py", "b.py", "c.py"))


def test_files_start_largest_first(tmp_path):
    small, large, medium = (write(tmp_path / f"{n}.py", "x = 1\n" * size) for n, size in
                            (("small", 1), ("large", 100), ("medium", 10)))
    assert largest_first([small, large, medium]) == [large, medium, small]


def test_closing_the_stream_early_stops_the_workers(tmp_path):
    stream = iter_results(_tree(tmp_path, "slow.py"), Options(), apply=False, jobs=2,
                          work=misbehaving_process_file)
    next(stream)
    processes = [child for child in __import__("multiprocessing").active_children()]
    stream.close()
    assert not any(process.is_alive() for process in processes)


def test_line_map_follows_inserted_and_changed_lines():
    original = "".join(f"line {i}\n" for i in range(30))
    current = original.replace("line 3\n", "line 3\nnew a\nnew b\n").replace("line 20\n", "line 20 changed\n")
    line_map = LineMap(original, current)
    assert [line_map(n) for n in (1, 4, 5, 6, 7, 23, 30)] == [1, 4, 5, 5, 5, 21, 28]


def test_line_map_of_a_large_file_with_many_repeated_lines():
    """Tens of thousands of lines, most of them repeated: difflib alone took hours here."""
    body = "".join(f"def f{i}(x):\n    y = x\n    return y\n" for i in range(20000))
    changed = body.replace("    y = x\n", "    y = jnp.asarray(x)\n    y = y\n")
    line_map = LineMap(body, changed)
    assert line_map(4 * 1000 + 1) == 3 * 1000 + 1  # the `def f1000` line
    assert line_map(4 * 19999 + 4) == 3 * 19999 + 3  # the last `return y`


def test_the_time_limit_starts_again_with_each_slice_of_a_large_module(tmp_path):
    path = write(tmp_path / "slices.py", "x = 1\n")
    (result,) = iter_results([path], Options(), apply=False, jobs=1, limits=Limits(seconds=2.5),
                             work=misbehaving_process_file)
    assert not result.failed and result.findings == []  # 4 s in all, never 2.5 s without a slice done


def test_a_file_too_big_for_the_memory_limit_is_refused_before_any_work(tmp_path):
    big = write(tmp_path / "big.py", "import numpy as np\n" + "x = np.zeros(3)\n" * 2000)  # 32 KB
    small = write(tmp_path / "small.py", LEGACY)
    results = _run([big, small], memory_mb=64)  # 64 MiB: files over 16 KB cannot fit
    (finding,) = results["big.py"].findings
    assert finding.code == "JX003" and "per-file memory limit of 64 MiB (--file-memory)" in finding.message
    assert not any("the file is" in f.message for f in results["small.py"].findings)  # went to a worker


def test_the_command_line_forks_its_workers_and_leaves_the_blas_settings_alone():
    """NumPy's BLAS pool would make the process multi-threaded, and the fork server would import
    the engine and JAX a second time on every run; the user's own settings pass on unchanged."""
    script = ("import os, sys\nfrom jaxify.runner import _start_method\n"
              "print(_start_method().get_start_method(), os.environ.get('OPENBLAS_NUM_THREADS'),"
              " os.environ.get('OMP_NUM_THREADS'))")
    env = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    env["OMP_NUM_THREADS"] = "3"
    output = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["fork", "None", "3"]


def test_a_rewrite_leaves_nothing_of_its_trees_behind():
    """A worker rewrites file after file: caches that kept every tree it had seen made it grow
    without end (9 MB per 8 KB of source); later, the eight most recent analyses (and their trees)
    stayed alive, and every full pass of the garbage collector traversed them."""
    def modules_alive() -> int:
        gc.collect()
        return sum(isinstance(thing, cst.Module) for thing in gc.get_objects())

    def rewrite(number: int) -> None:
        rewrite_text(f"import numpy as np\n\ndef f{number}(x, n):\n    y = np.zeros(n)\n"
                     f"    for j in range(n):\n        y[j] = x[j] * {number}\n    return y\n", "m.py", Options())

    rewrite(0)  # the first imports what it needs (a module constant among them)
    before = modules_alive()
    for number in range(1, 20):
        rewrite(number)
    assert modules_alive() == before  # 21 more before the first fix, 8 before the second


def test_a_tail_reduction_s_finding_holds_text_only():
    """A finding's reason was once an empty list (`unproven and ...`): JSON printed `[]`, and
    findings could not be compared or deduplicated. ``Finding`` now refuses anything but text."""
    for path in sorted((Path(__file__).parent / "fixtures" / "loops").glob("tail_reductions*.py")):
        if path.name.count(".") > 1:
            continue  # expected outputs and examples
        for finding in rewrite_text(path.read_text(encoding="utf-8"), path.name, Options()).findings:
            assert all(isinstance(text, str) for text in (finding.message, finding.reason, finding.hint)), finding
            hash(finding)

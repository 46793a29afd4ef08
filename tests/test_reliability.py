"""Bad inputs and interrupts: jaxify never loses an edit, never aborts a run, never hangs.

Each test is one row of the reliability matrix (issue 18). Most run the real command line in a
subprocess, since what is tested (signals, exit codes, crashes of a worker) is about processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from jaxify import engine
from jaxify.config import Options
from jaxify.engine import process_file

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
REWRITTEN_MARK = "jax.tree.map"


def jaxify(*args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 120, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "jaxify", *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def output(result) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace")


# -- discovery: special files, symlinks ---------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_py_is_skipped_with_a_finding_and_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(LEGACY)
    result = jaxify(".", "--apply", cwd=tmp_path, timeout=60)
    assert result.returncode == 2, output(result)
    assert "pipe.py:1:1 JX001" in output(result) and "not a regular file" in output(result)
    assert REWRITTEN_MARK in (tmp_path / "good.py").read_text()


def test_a_symlink_loop_is_reported_and_the_rest_is_processed(tmp_path):
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    (tmp_path / "good.py").write_text(LEGACY)
    result = jaxify(".", "--apply", cwd=tmp_path)
    assert result.returncode == 2, output(result)
    assert "Traceback" not in output(result)
    assert "JX001" in output(result) and "symbolic link" in output(result)
    assert REWRITTEN_MARK in (tmp_path / "good.py").read_text()


def test_a_symlink_inside_the_tree_stays_a_link_and_its_target_is_rewritten_once(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "real.py").write_text(LEGACY)
    (tmp_path / "alias.py").symlink_to("pkg/real.py")
    result = jaxify(".", "--apply", cwd=tmp_path)
    assert result.returncode == 0, output(result)
    assert (tmp_path / "alias.py").is_symlink()
    assert os.readlink(tmp_path / "alias.py") == "pkg/real.py"
    assert REWRITTEN_MARK in (tmp_path / "pkg" / "real.py").read_text()
    assert "1 changed" in output(result)


def test_a_named_symlink_is_written_through_to_its_target(tmp_path):
    (tmp_path / "real.py").write_text(LEGACY)
    (tmp_path / "alias.py").symlink_to("real.py")
    result = jaxify("alias.py", "--apply", cwd=tmp_path)
    assert result.returncode == 0, output(result)
    assert (tmp_path / "alias.py").is_symlink()
    assert REWRITTEN_MARK in (tmp_path / "real.py").read_text()


# -- writes: read-only files, edits during the run --------------------------------------------------------

def test_a_read_only_file_is_left_alone_with_a_finding(tmp_path):
    target = tmp_path / "locked.py"
    target.write_text(LEGACY)
    target.chmod(0o444)
    result = jaxify(".", "--apply", cwd=tmp_path)
    assert result.returncode == 2, output(result)
    assert target.read_text() == LEGACY
    assert "JX001" in output(result) and "read-only" in output(result)
    assert "0 changed" in output(result)  # a write that did not happen is not counted as a change


def test_a_file_edited_between_read_and_write_keeps_the_users_edit(tmp_path, monkeypatch):
    target = tmp_path / "busy.py"
    target.write_text(LEGACY)
    users_edit = LEGACY + "\n# the user typed this while jaxify was running\n"
    real_rewrite = engine.rewrite_text

    def rewrite_while_the_user_edits(text, path, options):
        result = real_rewrite(text, path, options)
        target.write_text(users_edit)  # the hook: the editor saves between jaxify's read and write
        return result

    monkeypatch.setattr(engine, "rewrite_text", rewrite_while_the_user_edits)
    result = process_file(target, Options(), apply=True)
    assert target.read_text() == users_edit
    assert result.failed and not result.written
    assert [finding.code for finding in result.findings][-1] == "JX001"
    assert "changed since jaxify read it" in result.findings[-1].message
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".jaxify")]


# -- input: stdin, deep nesting, form feeds, UTF-16 ---------------------------------------------------

def test_stdin_with_undecodable_bytes_is_echoed_unchanged(tmp_path):
    data = b"import numpy as np\nx = '\xff\xfe caf\xe9'\n"
    result = jaxify("-", cwd=tmp_path, stdin=data)
    assert result.stdout == data
    assert result.returncode == 2
    assert b"JX001" in result.stderr and b"Traceback" not in result.stderr


def test_stdin_that_decodes_is_rewritten_on_stdout(tmp_path):
    result = jaxify("-", cwd=tmp_path, stdin=LEGACY.encode())
    assert result.returncode == 0, output(result)
    assert REWRITTEN_MARK.encode() in result.stdout


def test_deep_nesting_is_a_syntax_finding_and_the_run_goes_on(tmp_path):
    (tmp_path / "deep.py").write_text("import numpy as np\nx = " + "(" * 3000 + "1" + ")" * 3000 + "\n")
    (tmp_path / "good.py").write_text(LEGACY)
    result = jaxify(".", "--apply", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 2, output(result)
    assert "deep.py:" in output(result) and "JX002" in output(result)
    assert "Traceback" not in output(result)
    assert REWRITTEN_MARK in (tmp_path / "good.py").read_text()


def test_deeply_nested_expressions_that_python_accepts_do_not_crash_the_run(tmp_path):
    chain = " + ".join(["x"] * 20000)
    (tmp_path / "long.py").write_text(f"import numpy as np\n\ndef f(x):\n    return {chain}\n")
    (tmp_path / "good.py").write_text(LEGACY)
    result = jaxify(".", "--apply", "--jobs", "1", cwd=tmp_path)
    assert result.returncode in (0, 2), output(result)
    assert "Traceback" not in output(result)
    assert REWRITTEN_MARK in (tmp_path / "good.py").read_text()


def test_form_feed_in_the_first_indented_block_does_not_crash_the_in_place_codemod(tmp_path):
    source = "import numpy as np\nx = np.zeros(3)\nif x.size:\n\x0c    x[0] = 1.0\n"
    (tmp_path / "ff.py").write_text(source)
    result = jaxify("ff.py", "--apply", cwd=tmp_path)
    assert "JX003" not in output(result), output(result)
    assert result.returncode == 0, output(result)
    rewritten = (tmp_path / "ff.py").read_text()
    assert ".at[0].set(1.0)" in rewritten and "\n\x0c    " in rewritten  # the form feed is kept
    compile(rewritten, "ff.py", "exec")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_with_a_utf16_or_utf32_bom_is_rewritten_in_its_encoding(tmp_path, encoding):
    target = tmp_path / "wide.py"
    target.write_bytes(LEGACY.encode(encoding))  # Python's utf-16/utf-32 codecs write a BOM
    result = jaxify(".", "--apply", cwd=tmp_path)
    assert result.returncode == 0, output(result)
    data = target.read_bytes()
    assert data[:4] == LEGACY.encode(encoding)[:4]  # the same BOM
    assert REWRITTEN_MARK in data.decode(encoding)


def test_utf16_without_a_bom_is_reported_not_skipped_silently(tmp_path):
    (tmp_path / "wide.py").write_bytes(LEGACY.encode("utf-16-le"))
    result = jaxify(".", cwd=tmp_path)
    assert result.returncode == 2, output(result)
    assert "wide.py:1:1 JX001" in output(result)


# -- signals and exit codes ------------------------------------------------------------------------------

def _slow_tree(folder: Path, count: int) -> None:
    """Files big enough that a run takes several seconds (80 functions each: with 40, a dry run
    that skips the walks of codemods with nothing to rewrite could end before the signal came)."""
    body = "".join(
        f"\ndef f{i}(x, n):\n    y = np.zeros(n)\n    for j in range(n):\n        y[j] = x[j] * 2.0\n    return y\n"
        for i in range(80)
    )
    for index in range(count):
        (folder / f"m{index:02d}.py").write_text("import numpy as np\n" + body)


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _start(tmp_path: Path, marker: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jaxify", ".", *args], cwd=tmp_path, stdout=subprocess.PIPE,
        # no result cache: it would be a folder of its own in the tree these tests snapshot
        stderr=subprocess.PIPE, env={**os.environ, "JAXIFY_TEST_MARKER": marker, "JAXIFY_NO_CACHE": "1"},
    )


def _wait_for_workers(marker: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(_processes_with(marker)) < count and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_sigterm_to_jaxify_stops_its_workers_and_leaves_no_temporary_file(tmp_path):
    _slow_tree(tmp_path, 12)
    before = {path.name: path.read_text() for path in tmp_path.iterdir()}
    marker = uuid.uuid4().hex
    process = _start(tmp_path, marker, "--apply", "--jobs", "2")
    _wait_for_workers(marker, 3)  # the main process and its two workers
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr.decode("utf-8", "replace")
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
    snapshot = {path.name: path.read_text() for path in tmp_path.iterdir()}
    time.sleep(1)
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == snapshot  # nothing writes any more
    assert set(snapshot) == set(before)  # no temporary file left
    for name, text in snapshot.items():
        assert text == before[name] or "jnp" in text  # each file original or fully rewritten


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_die_with_jaxify_even_when_it_is_killed(tmp_path):
    _slow_tree(tmp_path, 12)
    before = {path.name: path.read_text() for path in tmp_path.iterdir()}
    marker = uuid.uuid4().hex
    process = _start(tmp_path, marker, "--apply", "--jobs", "2")
    _wait_for_workers(marker, 3)
    time.sleep(0.5)
    process.kill()
    process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
    assert {path.name for path in tmp_path.iterdir()} == set(before)  # no temporary file left


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_ctrl_c_exits_130_and_stops_the_workers(tmp_path):
    _slow_tree(tmp_path, 12)
    marker = uuid.uuid4().hex
    process = _start(tmp_path, marker, "--jobs", "2")
    _wait_for_workers(marker, 3)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode("utf-8", "replace")
    assert b"Traceback" not in stderr
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []


def test_exit_codes_clean_changes_and_unparsable(tmp_path):
    (tmp_path / "clean.py").write_text("import jax.numpy as jnp\n\n\ndef f(x):\n    return jnp.sum(x)\n")
    assert jaxify("clean.py", "--check", cwd=tmp_path).returncode == 0
    (tmp_path / "legacy.py").write_text(LEGACY)
    assert jaxify("legacy.py", "--check", cwd=tmp_path).returncode == 1
    (tmp_path / "broken.py").write_text("import numpy as np\ndef f(:\n")
    assert jaxify("broken.py", "--check", cwd=tmp_path).returncode == 2


def test_an_internal_error_exits_2_with_a_message_not_1(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from jaxify import cli

    def broken_discovery(*args, **kwargs):
        raise RuntimeError("a bug in discovery")

    monkeypatch.setattr(cli, "iter_python_files", broken_discovery)
    (tmp_path / "legacy.py").write_text(LEGACY)
    result = CliRunner().invoke(cli.main, [str(tmp_path / "legacy.py")])
    assert result.exit_code == 2
    assert "internal error" in result.output and "a bug in discovery" in result.output


def test_cpython_parses_go_through_one_lock():
    """verify rewrites modules in threads, and CPython 3.11's AST constructor keeps interpreter-wide
    state (gh-106905: "AST constructor recursion depth mismatch"): every `ast.parse` and `compile`
    of jaxify goes through jaxify.python_ast's lock."""
    import ast as python_ast_module

    import jaxify

    package = Path(jaxify.__file__).parent
    offenders = []
    for path in [*package.rglob("*.py"), *(package.parent / "codemods").rglob("*.py")]:
        if path.name == "python_ast.py":
            continue
        for node in python_ast_module.walk(python_ast_module.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, python_ast_module.Call):
                name = python_ast_module.unparse(node.func)
                if name in ("ast.parse", "compile"):
                    offenders.append(f"{path.name}:{node.lineno} {name}")
    assert offenders == []


@pytest.mark.parametrize("stop, code", [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_stop_signal_during_a_garbage_collection_stops_the_worker_without_a_traceback(stop, code):
    """The collector frees visitor classes and runs the callbacks of weak references to them; a
    SIGTERM (or, at a terminal's Ctrl-C, SIGINT) handled inside one was printed as "Exception
    ignored" with a traceback and the worker went on. Here the signal arrives inside such a
    callback, during a collection: the worker stops at its next check, with 128 + the signal's
    number and nothing on stderr."""
    script = textwrap.dedent("""
        import gc, os, signal, weakref
        from jaxify import runner
        signal.signal(signal.SIG{stop}, runner._exit_on_signal)
        runner._collect_garbage_less_often()
        class Node:
            pass
        def cycle():
            a, b = Node(), Node()
            a.other, b.other = b, a  # only the collector frees it
            return weakref.ref(a, lambda ref: os.kill(os.getpid(), signal.SIG{stop}))
        kept = cycle()
        gc.collect()
        print("collected")
        runner.still_working()
        print("went on")
    """).replace("{stop}", stop[3:])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (code, "collected\n", "")

"""The result cache: the same results with and without it, and never a stale or corrupt entry trusted."""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from jaxify import cache as cache_module
from jaxify import engine
from jaxify.cache import ResultCache, default_cache_dir
from jaxify.cli import main
from jaxify.config import Options
from jaxify.engine import process_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from legacy_tree import generate_tree  # noqa: E402

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
MODERN = "import jax\n\n\ndef scale(tree):\n    return jax.tree.map(lambda x: 2 * x, tree)\n"


@pytest.fixture
def rewrites(monkeypatch):
    """Counts the files actually rewritten (not read from the cache)."""
    calls = []
    real = engine.rewrite_text

    def counting(text, path, options):
        calls.append(path)
        return real(text, path, options)

    monkeypatch.setattr(engine, "rewrite_text", counting)
    return calls


def outcome(result) -> tuple:
    return (result.path, result.original, result.rewritten, result.findings, result.failed, result.skipped,
            result.changed, result.written)


def test_results_with_and_without_the_cache_are_identical(tmp_path, rewrites):
    files = generate_tree(tmp_path / "tree", total_lines=400, seed=3)
    (tmp_path / "tree" / "legacy.py").write_text(LEGACY)
    files.append(tmp_path / "tree" / "legacy.py")
    cache = ResultCache.open(tmp_path / "cache")
    uncached = [outcome(process_file(path, Options(), False)) for path in files]
    cold = [outcome(process_file(path, Options(), False, cache)) for path in files]
    rewritten_cold = len(rewrites)
    warm = [outcome(process_file(path, Options(), False, cache)) for path in files]
    assert uncached == cold == warm
    assert any(result[6] for result in warm) and any(result[3] for result in warm)
    assert len(rewrites) == rewritten_cold  # the warm run rewrote nothing


def test_apply_from_a_cached_result_writes_the_rewrite(tmp_path):
    cache = ResultCache.open(tmp_path / "cache")
    first = tmp_path / "a" / "m.py"
    first.parent.mkdir()
    first.write_text(LEGACY)
    process_file(first, Options(), False, cache)
    result = process_file(first, Options(), True, cache)
    assert result.written and first.read_text() == MODERN


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda options: dataclasses.replace(options, precision="float32"), id="precision"),
        pytest.param(lambda options: dataclasses.replace(options, select=("JX6",)), id="rule selection"),
        pytest.param(lambda options: dataclasses.replace(options, unsafe=True), id="unsafe"),
        pytest.param(lambda options: dataclasses.replace(options, target_jax=(0, 4, 1)), id="target jax"),
    ],
)
def test_an_option_change_misses(tmp_path, rewrites, change):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    process_file(path, Options(), False, ResultCache.open(tmp_path / "cache"))
    changed = change(Options())
    process_file(path, changed, False, ResultCache.open(tmp_path / "cache"))
    assert len(rewrites) == 2


def test_excluded_globs_do_not_change_the_key(tmp_path):
    cache = ResultCache.open(tmp_path)
    assert cache.key("m.py", b"x", Options()) == cache.key("m.py", b"x", Options(exclude=("tests/*",)))
    assert cache.key("m.py", b"x", Options()) != cache.key("m.py", b"x", Options(unsafe=True))


@pytest.mark.parametrize("package", ["jax", "numpy", "libcst"])
def test_a_version_change_misses(tmp_path, rewrites, monkeypatch, package):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    process_file(path, Options(), False, ResultCache.open(tmp_path / "cache"))
    real = cache_module.installed_version
    monkeypatch.setattr(cache_module, "installed_version", lambda name: "99.0" if name == package else real(name))
    process_file(path, Options(), False, ResultCache.open(tmp_path / "cache"))
    assert len(rewrites) == 2


def test_jaxify_version_and_code_are_in_the_key(tmp_path, monkeypatch):
    before = ResultCache.open(tmp_path)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    other_version = ResultCache.open(tmp_path)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "edited")
    other_code = ResultCache.open(tmp_path)
    assert len({before.context, other_version.context, other_code.context}) == 3


def test_a_content_change_misses_and_the_path_is_in_the_key(tmp_path, rewrites):
    cache = ResultCache.open(tmp_path / "cache")
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    process_file(path, Options(), False, cache)
    path.write_text(LEGACY + "\n")
    assert process_file(path, Options(), False, cache).rewritten == MODERN + "\n"
    moved = tmp_path / "n.py"
    moved.write_text(LEGACY + "\n")
    assert process_file(moved, Options(), False, cache).findings[0].path == str(moved)
    assert len(rewrites) == 3


def _only_entry(folder: Path) -> Path:
    (entry,) = [path for path in (folder / "entries").rglob("*") if path.is_file()]
    return entry


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: "\x00\xff garbage", id="garbage"),
        pytest.param(lambda text: text.replace('"key": "', '"key": "0'), id="another key"),
        pytest.param(lambda text: json.dumps({**json.loads(text), "rewritten": 3}), id="wrong type"),
        pytest.param(lambda text: json.dumps({**json.loads(text), "findings": [{"line": 1}]}), id="bad finding"),
    ],
)
def test_a_corrupt_entry_is_ignored_and_replaced(tmp_path, rewrites, damage):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    cache = ResultCache.open(tmp_path / "cache")
    expected = outcome(process_file(path, Options(), False, cache))
    entry = _only_entry(tmp_path / "cache")
    entry.write_text(damage(entry.read_text()), encoding="utf-8", errors="surrogateescape")
    assert outcome(process_file(path, Options(), False, cache)) == expected
    assert len(rewrites) == 2
    assert outcome(process_file(path, Options(), False, cache)) == expected
    assert len(rewrites) == 2  # the entry was written again, whole


def test_failures_are_not_cached(tmp_path, rewrites):
    path = tmp_path / "bad.py"
    path.write_text("import numpy as np\nx = (\n")
    cache = ResultCache.open(tmp_path / "cache")
    assert process_file(path, Options(), False, cache).failed
    assert process_file(path, Options(), False, cache).failed
    assert len(rewrites) == 2


def test_concurrent_writers_and_readers_never_see_half_an_entry(tmp_path):
    cache = ResultCache.open(tmp_path / "cache")
    key = cache.key("m.py", b"data", Options())
    rewritten = "x = 1\n" * 20_000
    seen, errors = [], []

    def write():
        for _ in range(20):
            cache.put(key, rewritten, [])

    def read():
        for _ in range(200):
            got = cache.get(key)
            if got is not None:
                seen.append(got.rewritten == rewritten)

    threads = [threading.Thread(target=write) for _ in range(2)] + [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(seen) and not errors
    assert not [p for p in (tmp_path / "cache").rglob("*.tmp")]


def test_an_unwritable_cache_only_costs_speed(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    assert process_file(path, Options(), False, ResultCache.open(blocker)).rewritten == MODERN


def test_default_folder_is_at_the_project_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "src" / "deep").mkdir(parents=True)
    assert default_cache_dir(tmp_path / "src" / "deep") == tmp_path.resolve() / ".jaxify_cache"


def test_cli_cache_flags(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "m.py").write_text(LEGACY)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JAXIFY_CACHE_DIR", raising=False)
    monkeypatch.delenv("JAXIFY_NO_CACHE", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["m.py", "--jobs", "1", "--no-cache"]).exit_code == 0
    assert not (tmp_path / ".jaxify_cache").exists()
    first = runner.invoke(main, ["m.py", "--jobs", "1"])
    assert (tmp_path / ".jaxify_cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / ".jaxify_cache" / ".gitignore").read_text().strip().endswith("*")
    assert runner.invoke(main, ["m.py", "--jobs", "1"]).output == first.output
    assert runner.invoke(main, ["m.py", "--jobs", "1", "--cache-dir", "elsewhere"]).output == first.output
    assert any((tmp_path / "elsewhere" / "entries").rglob("*"))
    monkeypatch.setenv("JAXIFY_CACHE_DIR", str(tmp_path / "from-env"))
    runner.invoke(main, ["m.py", "--jobs", "1"])
    assert any((tmp_path / "from-env" / "entries").rglob("*"))


def test_discovery_does_not_walk_the_cache(tmp_path):
    from jaxify.discovery import iter_python_files

    (tmp_path / ".jaxify_cache" / "entries").mkdir(parents=True)
    (tmp_path / ".jaxify_cache" / "entries" / "stray.py").write_text(LEGACY)
    (tmp_path / "m.py").write_text(LEGACY)
    assert [path.name for path in iter_python_files([tmp_path])] == ["m.py"]


RERUN = """
import sys
from click.testing import CliRunner
from jaxify.cli import main
result = CliRunner().invoke(main, sys.argv[1:])
print(result.exit_code, "jaxify.codemods" in sys.modules, "jaxify.engine" in sys.modules)
print(result.output)
"""


def test_a_cached_rerun_starts_no_worker_and_imports_no_codemod(tmp_path, monkeypatch):
    """Skipped files and cache hits are settled in the reporting process; with --apply, a cached
    rewrite is still written (through the same edit check as a fresh one)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "m.py").write_text(LEGACY)
    (tmp_path / "plain.py").write_text("print('no arrays here')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JAXIFY_CACHE_DIR", raising=False)
    monkeypatch.delenv("JAXIFY_NO_CACHE", raising=False)
    first = CliRunner().invoke(main, [".", "--jobs", "1"])

    def rerun(*flags: str) -> list[str]:
        import subprocess

        done = subprocess.run([sys.executable, "-c", RERUN, ".", "--jobs", "1", *flags],
                              capture_output=True, text=True, check=True)
        return done.stdout.split("\n", 1)

    status, output = rerun()
    assert status == f"{first.exit_code} False False" and output.rstrip("\n") == first.output.rstrip("\n")
    status, _ = rerun("--apply")
    assert status == "0 False False" and (tmp_path / "m.py").read_text() == MODERN

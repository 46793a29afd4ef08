"""The issue's acceptance run, on a copy of the bundled corpus: `jaxify corpus/ --check` exits 1,
`--apply` rewrites without a single failed file, and `--check` then finds nothing left to change."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from harness import REPO


def jaxify(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jaxify", *args, "--jobs", "2"],
        cwd=cwd, capture_output=True, text=True, timeout=1200,
    )


def test_check_apply_check_on_the_corpus(tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    before = jaxify("corpus", "--check", "--format", "json", cwd=tmp_path)
    assert before.returncode == 1, before.stderr
    summary = json.loads(before.stdout)["summary"]
    assert summary["files_failed"] == 0 and summary["files_changed"] > 0

    # Exit 1 after --apply and under --check: findings that need a person remain (as ruff's exit code).
    applied = jaxify("corpus", "--apply", "-q", cwd=tmp_path)
    assert applied.returncode == 1 and ", 0 failed;" in applied.stdout, applied.stdout + applied.stderr

    after = jaxify("corpus", "--check", "--format", "json", cwd=tmp_path)
    summary = json.loads(after.stdout)["summary"]
    assert summary["files_changed"] == 0 and summary["files_failed"] == 0, after.stderr
    assert summary["findings"]["not fixed"] > 0
    assert after.returncode == 1
    for program in (tmp_path / "corpus" / "programs").glob("*.py"):
        compile(program.read_text(encoding="utf-8"), str(program), "exec")

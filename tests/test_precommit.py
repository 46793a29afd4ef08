"""The pre-commit hooks, run as pre-commit runs them: the hook's entry, split as a shell would,
followed by the names of the staged files, in the repository's folder."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest
import yaml
from harness import REPO

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
MODERN = LEGACY.replace("jax.tree_map", "jax.tree.map")

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook_id: str, files: list[str], cwd) -> subprocess.CompletedProcess:
    command = shlex.split(HOOKS[hook_id]["entry"])
    assert command[0] == "jaxify"  # the console script the python hook installs; run it from this tree
    return subprocess.run(
        [sys.executable, "-m", "jaxify", *command[1:], "--jobs", "1", *files],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def test_hooks_are_declared_for_python_and_notebooks():
    assert set(HOOKS) == {"jaxify", "jaxify-apply"}
    for hook in HOOKS.values():
        assert hook["language"] == "python" and hook["types_or"] == ["python", "jupyter"]


@pytest.fixture
def staged(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.jaxify]\nexclude = ["generated/"]\n')
    for name in ("src/legacy.py", "generated/legacy.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(LEGACY)
    return tmp_path, ["src/legacy.py", "generated/legacy.py"]


def test_check_hook_fails_on_a_file_that_would_change_and_writes_nothing(staged):
    folder, files = staged
    result = run_hook("jaxify", files, folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 file scanned, 1 would change" in result.stdout  # generated/ is excluded although named
    assert (folder / "src" / "legacy.py").read_text() == LEGACY


def test_apply_hook_rewrites_then_passes(staged):
    folder, files = staged
    first = run_hook("jaxify-apply", files, folder)
    assert first.returncode == 1, first.stdout + first.stderr  # a file changed: pre-commit must fail
    assert (folder / "src" / "legacy.py").read_text() == MODERN
    assert (folder / "generated" / "legacy.py").read_text() == LEGACY
    assert run_hook("jaxify-apply", files, folder).returncode == 0
    assert run_hook("jaxify", files, folder).returncode == 0

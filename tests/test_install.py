"""A non-editable ``pip install .`` into a fresh virtualenv gives a working ``jaxify``.

The virtualenv sees the heavy dependencies (jax, libcst, ...) where the interpreter running the
tests has them, whether that is a virtualenv of its own or the system's Python: a ``.pth`` file
lists its site-packages folders. jaxify itself is built from a copy of the tracked sources and
installed into the virtualenv, whose own site-packages comes first, so this proves that
`codemods/` really ships as `jaxify.codemods` and that no top-level package named `codemods`
is installed.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

from harness import REPO

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"


def tracked_files() -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    return [line for line in listing.stdout.splitlines() if (REPO / line).is_file()]


def running_site_folders() -> list[str]:
    """Where the running interpreter finds its installed packages (a virtualenv's, the system's, the user's)."""
    folders = [*site.getsitepackages(), site.getusersitepackages(),
               *(path for path in sys.path if path.endswith(("site-packages", "dist-packages")))]
    return [folder for folder in dict.fromkeys(folders) if Path(folder).is_dir()]


def see_running_environment(python: Path) -> None:
    """Make the running interpreter's packages importable from the virtualenv of ``python``, after its own."""
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "running_environment.pth").write_text("\n".join(running_site_folders()) + "\n")


def test_non_editable_install_into_a_fresh_virtualenv(tmp_path):
    source = tmp_path / "source"
    for name in tracked_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    see_running_environment(python)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(source)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    work = tmp_path / "work"
    work.mkdir()
    (work / "legacy.py").write_text(LEGACY)
    located = subprocess.run(
        [str(python), "-c", "import jaxify, jaxify.codemods, importlib.util as u;"
         "print(jaxify.codemods.__file__); print(u.find_spec('codemods'))"],
        cwd=work, capture_output=True, text=True, check=True,
    )
    codemods_file, top_level = located.stdout.split()
    assert Path(codemods_file).is_relative_to(env_dir)
    assert top_level == "None"
    result = subprocess.run(
        [str(env_dir / "bin" / "jaxify"), "legacy.py", "--apply", "--jobs", "1"],
        cwd=work, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "jax.tree.map" in (work / "legacy.py").read_text()

"""Finding the Python files to process under the paths the user named."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path

SKIPPED_FOLDERS = frozenset(
    {
        ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".hypothesis", "__pycache__", "build", "dist", "node_modules", "site-packages",
        ".eggs", ".ipynb_checkpoints",
    }
)

# Files that mention neither numpy nor jax have nothing for jaxify: skip them before parsing.
RELEVANT = re.compile(rb"numpy|jax")


def is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def is_excluded(path: Path, root: Path, patterns: tuple[str, ...]) -> bool:
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern) for pattern in patterns
    )


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, OSError):
        return False


def iter_python_files(paths: list[Path], exclude: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield each ``.py`` and ``.ipynb`` file once: named files always, folders walked with the skip rules.

    A symbolic link is followed only when its target stays inside the folder being walked, so a
    link to ``/`` or to a sibling project is never entered.
    """
    seen: set[Path] = set()
    for given in paths:
        if given.is_file():
            real = given.resolve()
            if real not in seen:
                seen.add(real)
                yield given
            continue
        root = given.resolve()
        walked = {root}  # real folders already entered: a link back up the tree is not a loop
        for folder, subfolders, files in os.walk(given, followlinks=True):
            here = Path(folder)
            kept = []
            for name in sorted(subfolders):
                candidate = here / name
                if (
                    name in SKIPPED_FOLDERS
                    or name.endswith(".egg-info")
                    or is_virtualenv(candidate)
                    or not _within(candidate, root)
                    or is_excluded(candidate, given, exclude)
                    or candidate.resolve() in walked
                ):
                    continue
                walked.add(candidate.resolve())
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                path = here / name
                if not name.endswith((".py", ".ipynb")) or is_excluded(path, given, exclude):
                    continue
                if not _within(path, root):
                    continue
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    yield path


def mentions_numpy_or_jax(data: bytes) -> bool:
    return RELEVANT.search(data) is not None

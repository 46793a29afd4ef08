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
        ".ruff_cache", ".jaxify_cache", ".hypothesis", "__pycache__", "build", "dist", "node_modules", "site-packages",
        ".eggs",
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


def _real(path: Path) -> Path | None:
    """The path with every link resolved; None for a symbolic link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError up to Python 3.12, OSError (ELOOP) after
        return None


def iter_python_files(paths: list[Path], exclude: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield each ``.py`` file once: named files always, folders walked with the skip rules.

    A symbolic link is followed only when its target stays inside the folder being walked, so a
    link to ``/`` or to a sibling project is never entered; a link to a file inside the tree is
    yielded once (as the link or as the target, whichever comes first). Symbolic link loops and
    special files (FIFOs, sockets, devices) are yielded too: reading them fails with a finding
    that names the problem, without blocking.
    """
    seen: set[Path] = set()
    for given in paths:
        if not given.is_dir():
            real = _real(given)
            if real not in seen:
                if real is not None:  # a link loop is yielded, never remembered
                    seen.add(real)
                yield given
            continue
        root = _real(given)
        walked = {root}  # real folders already entered: a link back up the tree is not a loop
        for folder, subfolders, files in os.walk(given, followlinks=True):
            here = Path(folder)
            kept = []
            for name in sorted(subfolders):
                candidate = here / name
                real = _real(candidate)
                if (
                    name in SKIPPED_FOLDERS
                    or name.endswith(".egg-info")
                    or real is None
                    or not real.is_relative_to(root)
                    or real in walked
                    or is_virtualenv(candidate)
                    or is_excluded(candidate, given, exclude)
                ):
                    continue
                walked.add(real)
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                path = here / name
                if not name.endswith(".py") or is_excluded(path, given, exclude):
                    continue
                real = _real(path)
                if real is None:
                    yield path  # a link loop: the read reports it
                elif real.is_relative_to(root) and real not in seen:
                    seen.add(real)
                    yield path


def mentions_numpy_or_jax(data: bytes) -> bool:
    return RELEVANT.search(data) is not None

"""Finding the Python files to process under the paths the user named."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from jaxify.exclusion import PatternSet

SKIPPED_FOLDERS = frozenset(
    {
        ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".jaxify_cache", ".hypothesis", "__pycache__", "build", "dist", "node_modules",
        "site-packages", ".eggs", ".ipynb_checkpoints",
    }
)

# Files that mention neither numpy nor jax have nothing for jaxify: skip them before parsing.
RELEVANT = re.compile(rb"numpy|jax")


def is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def _real(path: Path) -> Path | None:
    """The path with every link resolved; None for a symbolic link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError up to Python 3.12, OSError (ELOOP) after
        return None


def iter_python_files(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    *,
    excluded: Callable[[Path, bool], bool] | None = None,
    force_exclude: bool = False,
) -> Iterator[Path]:
    """Yield each ``.py`` and ``.ipynb`` file once: named files, and folders walked with the skip rules.

    ``excluded(path, is_dir)`` says what the user excluded; by default the gitignore-style
    ``exclude`` patterns, relative to the current folder. Paths named on the command line are
    taken as given unless ``force_exclude`` (what pre-commit needs: it names every file).
    A symbolic link is followed only when its target stays inside the folder being walked, so a
    link to ``/`` or to a sibling project is never entered; a link to a file inside the tree is
    yielded once (as the link or as the target, whichever comes first). Symbolic link loops and
    special files (FIFOs, sockets, devices) are yielded too: reading them fails with a finding
    that names the problem, without blocking.
    """
    if excluded is None:
        excluded = PatternSet(exclude, Path.cwd()).matches
    seen: set[Path] = set()
    for given in paths:
        if force_exclude and excluded(given, given.is_dir()):
            continue
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
                    or excluded(candidate, True)
                ):
                    continue
                walked.add(real)
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                path = here / name
                if not name.endswith((".py", ".ipynb")) or excluded(path, False):
                    continue
                real = _real(path)
                if real is None:
                    yield path  # a link loop: the read reports it
                elif real.is_relative_to(root) and real not in seen:
                    seen.add(real)
                    yield path


def mentions_numpy_or_jax(data: bytes) -> bool:
    return RELEVANT.search(data) is not None

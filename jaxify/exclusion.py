"""Which paths the user excluded: gitignore-style patterns (via ``pathspec``) and ``.gitignore`` files.

Patterns follow git's rules: ``gen`` matches a file or folder of that name at any depth,
``gen/`` only folders, ``/gen`` and ``src/gen`` are anchored at the folder the patterns belong
to (the ``pyproject.toml``'s folder for ``[tool.jaxify]``, the current folder for flags), and
``!pattern`` re-includes. A folder that matches excludes everything below it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec


def _relative(path: Path, base: Path, is_dir: bool) -> str | None:
    """``path`` relative to ``base`` in git's spelling (a folder ends in ``/``); None outside ``base``."""
    relative = os.path.relpath(os.path.abspath(path), base)
    if relative == os.curdir or relative.startswith(os.pardir):
        return None
    relative = Path(relative).as_posix()
    return relative + "/" if is_dir else relative


class PatternSet:
    """Gitignore-style patterns anchored at one folder."""

    def __init__(self, patterns: tuple[str, ...] | list[str], base: Path):
        self.base = os.path.abspath(base)
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)

    def __bool__(self) -> bool:
        return bool(self.spec.patterns)

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """True: excluded; False: re-included by a ``!`` pattern; None: no pattern speaks of it."""
        relative = _relative(path, self.base, is_dir)
        if relative is None or not self:
            return None
        return self.spec.check_file(relative).include

    def matches(self, path: Path, is_dir: bool = False) -> bool:
        return self.verdict(path, is_dir) is True


class GitIgnores:
    """The ``.gitignore`` files of the git work tree a path is in, nested ones included.

    As git does, the deepest ``.gitignore`` with a pattern about a path decides, and ``.gitignore``
    files count only inside a work tree (a folder holding ``.git``). ``.git/info/exclude`` and
    the user's global excludes file are not read.
    """

    def __init__(self) -> None:
        self._specs: dict[Path, PatternSet | None] = {}
        self._roots: dict[Path, Path | None] = {}

    def _work_tree(self, folder: Path) -> Path | None:
        if folder not in self._roots:
            if (folder / ".git").exists():
                self._roots[folder] = folder
            else:
                self._roots[folder] = None if folder.parent == folder else self._work_tree(folder.parent)
        return self._roots[folder]

    def _spec(self, folder: Path) -> PatternSet | None:
        if folder not in self._specs:
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            spec = PatternSet(lines, folder)
            self._specs[folder] = spec if spec else None
        return self._specs[folder]

    def ignores(self, path: Path, is_dir: bool = False) -> bool:
        path = Path(os.path.abspath(path))
        root = self._work_tree(path.parent)
        if root is None:
            return False
        folder = path.parent
        while True:
            spec = self._spec(folder)
            verdict = spec.verdict(path, is_dir) if spec else None
            if verdict is not None:
                return verdict
            if folder == root:
                return False
            folder = folder.parent

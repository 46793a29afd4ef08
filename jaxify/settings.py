"""Per-file settings: the command line's flags merged over the ``[tool.jaxify]`` nearest each file.

As in ruff, every file is governed by the nearest ``pyproject.toml`` with a ``[tool.jaxify]``
table above it, so a monorepo's packages can each configure jaxify. Flags win over the file:

- ``--select`` replaces the file's ``select`` *and* ``ignore`` (what the user asked for now is
  what runs); ``extend-select``, ``ignore``, ``extend-ignore`` and ``per-file-ignores`` add up.
- ``--exclude`` replaces the file's ``exclude``; ``extend-exclude`` adds. Patterns from a file are
  relative to its folder, patterns from flags to the current folder.
- ``force-exclude`` and ``respect-gitignore`` are read from the configuration of the current
  folder: they say how the run treats paths, not how one file is rewritten.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from jaxify.config import EVERY_CODE, Options, ProjectConfig, read_config
from jaxify.exclusion import GitIgnores, PatternSet

# The Options fields a flag or a config key sets directly, one to one.
PLAIN_OPTIONS = ("unsafe", "precision", "target_jax", "jit", "key_name", "keep_outputs", "assume_numeric_inputs",
                 "partial", "exact_order")


@dataclasses.dataclass(frozen=True)
class Flags:
    """What the command line said; None / () where it said nothing."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None
    unsafe: bool | None = None
    precision: str | None = None
    target_jax: tuple[int, ...] | None = None
    jit: bool | None = None
    key_name: str | None = None
    keep_outputs: bool | None = None
    assume_numeric_inputs: bool | None = None
    partial: bool | None = None
    exact_order: bool | None = None


def _selection(config: dict[str, Any], flags: Flags) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if flags.select:
        select, ignore = flags.select, ()
    else:
        select, ignore = config.get("select", ()), config.get("ignore", ()) + config.get("extend_ignore", ())
    extra = config.get("extend_select", ()) + flags.extend_select
    if extra:
        select = (select or (EVERY_CODE,)) + extra  # extend-select adds to "every rule" when select is empty
    return select, ignore + flags.ignore + flags.extend_ignore


class Settings:
    """Resolves configuration once per folder and Options once per distinct result."""

    def __init__(self, flags: Flags, cwd: Path | None = None):
        self.flags = flags
        self.cwd = (cwd or Path.cwd()).absolute()
        self._configs: dict[Path, ProjectConfig] = {}
        self._options: dict[tuple, Options] = {}
        self._exclusions: dict[Path, tuple[PatternSet, ...]] = {}
        self._per_file: dict[tuple[str, Path], PatternSet] = {}
        root = self.config_for(self.cwd).values
        self.force_exclude = _first(flags.force_exclude, root.get("force_exclude"), False)
        self.respect_gitignore = _first(flags.respect_gitignore, root.get("respect_gitignore"), True)
        self._gitignores = GitIgnores()

    def config_for(self, folder: Path) -> ProjectConfig:
        """The nearest ``pyproject.toml`` with a ``[tool.jaxify]`` table, from ``folder`` upwards.

        A pyproject.toml without that table is passed over; with none, the defaults apply.
        Raises ConfigError for a table with a bad key or value. Each folder is looked at once.
        """
        folder = folder.absolute()
        if folder not in self._configs:
            pyproject = folder / "pyproject.toml"
            config = read_config(pyproject) if pyproject.is_file() else None
            if config is None:
                config = ProjectConfig(self.cwd) if folder.parent == folder else self.config_for(folder.parent)
            self._configs[folder] = config
        return self._configs[folder]

    def options_for(self, path: Path) -> Options:
        """The Options a file is rewritten with (``path`` need not exist: stdin's --stdin-filename)."""
        path = Path(path).absolute()
        config = self.config_for(path.parent)
        values = dict(config.values)
        select, ignore = _selection(values, self.flags)
        for pattern, codes in values.get("per_file_ignores", {}).items():
            if self._pattern(pattern, config.root).matches(path):
                ignore += codes
        chosen = {"select": select, "ignore": ignore, "exclude": self.flags.exclude or values.get("exclude", ())}
        for name in PLAIN_OPTIONS:
            flag = getattr(self.flags, name)
            if flag is not None:
                chosen[name] = flag
            elif name in values:
                chosen[name] = values[name]
        key = tuple(sorted(chosen.items()))
        if key not in self._options:
            self._options[key] = Options(**chosen)
        return self._options[key]

    def _pattern(self, pattern: str, root: Path) -> PatternSet:
        if (pattern, root) not in self._per_file:
            self._per_file[(pattern, root)] = PatternSet([pattern], root)
        return self._per_file[(pattern, root)]

    def _patterns_for(self, folder: Path) -> tuple[PatternSet, ...]:
        if folder not in self._exclusions:
            config = self.config_for(folder)
            from_file = () if self.flags.exclude else config.values.get("exclude", ())
            self._exclusions[folder] = tuple(
                spec
                for spec in (
                    PatternSet(self.flags.exclude + self.flags.extend_exclude, self.cwd),
                    PatternSet(from_file + config.values.get("extend_exclude", ()), config.root),
                )
                if spec
            )
        return self._exclusions[folder]

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """Whether the user excluded ``path``, by pattern or (unless turned off) by ``.gitignore``."""
        path = Path(path).absolute()
        if any(spec.matches(path, is_dir) for spec in self._patterns_for(path.parent)):
            return True
        return self.respect_gitignore and self._gitignores.ignores(path, is_dir)


def _first(*values):
    return next(value for value in values if value is not None)

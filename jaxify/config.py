"""Run options and the ``[tool.jaxify]`` table: reading it, and checking every value's type.

A configuration value has the type its flag has: ``unsafe = "false"`` is an error that names the
key, never a truthy string that turns unsafe fixes on. Rule codes are checked against the rule
table, versions are parsed with ``packaging``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

PRECISIONS = ("keep", "float32")


class ConfigError(ValueError):
    """A configuration value or a flag that cannot be used; the message names it."""


def installed_jax_version() -> tuple[int, ...]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return parse_version(version("jax"))
    except PackageNotFoundError:
        return (0, 4, 30)


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.4.25"`` -> ``(0, 4, 25)``; a pre- or dev-release counts as older than its release.

    The codemods compare release tuples with the version that introduced an API. JAX
    ``0.4.25rc1`` may lack what ``0.4.25`` added, so it becomes ``(0, 4, 24)``: a feature is
    assumed only when the named version surely has it (``0.5.0rc1`` becomes ``(0, 5, -1)``, above
    every 0.4 release and below 0.5.0).
    """
    try:
        version = Version(text.strip())
    except InvalidVersion as error:
        raise ConfigError(f"not a version: {text!r}") from error
    release = version.release
    if version.is_prerelease:
        release = (*release[:-1], release[-1] - 1)
    return tuple(release)


@dataclasses.dataclass(frozen=True)
class Options:
    """What the codemods of one file read; the command line builds one per configuration."""

    select: tuple[str, ...] = ()  # rule codes or prefixes; empty means every rule
    ignore: tuple[str, ...] = ()
    unsafe: bool = False
    precision: str = "keep"
    target_jax: tuple[int, ...] = dataclasses.field(default_factory=installed_jax_version)
    jit: bool | None = None  # None: wrap the functions the whole-function gate converts; True: every jit-compatible one
    partial: bool = False  # statement-by-statement moves, without the whole-function gate
    key_name: str = "key"
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, relative to the current folder
    keep_outputs: bool = False  # notebooks: keep the outputs of rewritten cells
    assume_numeric_inputs: bool = False  # callers pass numeric arrays (see analysis/input_contract.py)
    exact_order: bool = False  # loops keep their sequential order of float operations (codemods/loop_forms.py)
    # Every caller of the module's functions is in the module itself (a notebook: nothing imports it),
    # so call sites are evidence for public functions as they are for private ones. Set by the engine.
    callers_in_module: bool = False

    def is_selected(self, code: str) -> bool:
        """ruff's convention: the most specific matching prefix wins; a tie goes to ignore."""
        code = code.upper()
        select = max((len(p) for p in self.select if code.startswith(p.upper())), default=-1)
        if not self.select:
            select = 0
        ignore = max((len(p) for p in self.ignore if code.startswith(p.upper())), default=-1)
        return select >= 0 and select > ignore

    def family_selected(self, codes: list[str]) -> bool:
        return any(self.is_selected(code) for code in codes)


# -- rule codes --------------------------------------------------------------------------------

ALL_RULES = "ALL"  # as in ruff: `select = ["ALL"]`
EVERY_CODE = "JX"  # the prefix every rule code shares: what ALL means to Options.is_selected


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """``("JX5,JX301", "jx6")`` -> ``("JX5", "JX301", "JX6")``; ``ALL`` becomes the prefix ``JX``."""
    codes = (code.strip().upper() for value in values for code in value.split(","))
    return tuple(EVERY_CODE if code == ALL_RULES else code for code in codes if code)


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """The codes or prefixes that match no rule (``JX999``, ``JX9``, ``E501``)."""
    codes = tuple(codes)
    if not codes:
        return []  # the rule table imports every codemod (and JAX): not for a run that names no code
    from jaxify.rules import all_rules

    known = [rule.code for rule in all_rules()]
    return sorted({code for code in codes if not any(rule.startswith(code.upper()) for rule in known)})


def check_codes(codes: tuple[str, ...], where: str) -> tuple[str, ...]:
    unknown = unknown_codes(codes)
    if unknown:
        raise ConfigError(f"{where}: unknown rule code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                          f"(`jaxify rules` lists them)")
    return codes


# -- [tool.jaxify] -----------------------------------------------------------------------------


def _describe(value: Any) -> str:
    return f"the string {value!r}" if isinstance(value, str) else f"{type(value).__name__} {value!r}"


def _boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false, got {_describe(value)}")
    return value


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string, got {_describe(value)}")
    return value


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key}: expected a list of strings, got {_describe(value)}")
    return tuple(value)


def _codes(value: Any, key: str) -> tuple[str, ...]:
    return check_codes(split_codes(_strings(value, key)), key)


def _per_file_ignores(value: Any, key: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of pattern = [codes], got {_describe(value)}")
    return {pattern: _codes(codes, f"{key}.{pattern!r}") for pattern, codes in value.items()}


def _precision(value: Any, key: str) -> str:
    if _string(value, key) not in PRECISIONS:
        raise ConfigError(f"{key}: expected one of {', '.join(PRECISIONS)}, got {value!r}")
    return value


def _version(value: Any, key: str) -> tuple[int, ...]:
    try:
        return parse_version(_string(value, key))
    except ConfigError as error:
        raise ConfigError(f"{key}: {error}") from error


def _identifier(value: Any, key: str) -> str:
    if not _string(value, key).isidentifier():
        raise ConfigError(f"{key}: expected a Python name, got {value!r}")
    return value


# Every key [tool.jaxify] accepts, with the check its flag makes. Keys are written as in the file.
SCHEMA: dict[str, Callable[[Any, str], Any]] = {
    "select": _codes,
    "extend-select": _codes,
    "ignore": _codes,
    "extend-ignore": _codes,
    "per-file-ignores": _per_file_ignores,
    "exclude": _strings,
    "extend-exclude": _strings,
    "force-exclude": _boolean,
    "respect-gitignore": _boolean,
    "unsafe": _boolean,
    "precision": _precision,
    "target-jax": _version,
    "jit": _boolean,
    "partial": _boolean,
    "key-name": _identifier,
    "keep-outputs": _boolean,
    "assume-numeric-inputs": _boolean,
    "exact-order": _boolean,
}


@dataclasses.dataclass(frozen=True)
class ProjectConfig:
    """One ``[tool.jaxify]`` table, checked, with snake_case keys; patterns in it are relative to ``root``."""

    root: Path
    source: Path | None = None  # the pyproject.toml; None when no file configures jaxify
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def validate(table: Mapping[str, Any], source: str) -> dict[str, Any]:
    unknown = sorted(set(table) - set(SCHEMA))
    if unknown:
        raise ConfigError(f"{source}: unknown [tool.jaxify] key{'s' if len(unknown) > 1 else ''}: "
                          f"{', '.join(unknown)}")
    try:
        return {key.replace("-", "_"): SCHEMA[key](value, key) for key, value in table.items()}
    except ConfigError as error:
        raise ConfigError(f"{source}: [tool.jaxify] {error}") from error


def read_config(pyproject: Path) -> ProjectConfig | None:
    """The checked ``[tool.jaxify]`` table of ``pyproject``, or None when it has none."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {pyproject}: {error}") from error
    table = document.get("tool", {}).get("jaxify")
    if table is None:
        return None
    return ProjectConfig(pyproject.parent, pyproject, validate(table, str(pyproject)))

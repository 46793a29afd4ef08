"""Run options: command-line flags merged over ``[tool.jaxify]`` in the nearest pyproject.toml."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

PRECISIONS = ("keep", "float32")


def installed_jax_version() -> tuple[int, ...]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return parse_version(version("jax"))
    except PackageNotFoundError:
        return (0, 4, 30)


def parse_version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    if not parts:
        raise ValueError(f"not a version: {text!r}")
    return tuple(parts)


@dataclasses.dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()  # rule codes or prefixes; empty means every rule
    ignore: tuple[str, ...] = ()
    unsafe: bool = False
    precision: str = "keep"
    target_jax: tuple[int, ...] = dataclasses.field(default_factory=installed_jax_version)
    jit: bool = False
    key_name: str = "key"
    exclude: tuple[str, ...] = ()
    assume_numeric_inputs: bool = False  # callers pass numeric arrays (see analysis/input_contract.py)

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


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> dict:
    """The ``[tool.jaxify]`` table of the nearest pyproject.toml, with keys in snake_case."""
    path = find_pyproject(start)
    if path is None:
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("jaxify", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read [tool.jaxify] from {path}: {error}") from error
    return {key.replace("-", "_"): value for key, value in table.items()}

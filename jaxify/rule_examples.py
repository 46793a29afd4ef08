"""Each rule's example, rendered from one of its test fixtures so the documentation cannot drift.

The fixtures (``tests/fixtures/<family>/<case>.py``, its ``.expected.py`` and ``.findings``) are
not installed with the package, so the rendering is kept as data next to this module
(``rule_examples.json``). Regenerate it after changing fixtures with

    python -m jaxify.rule_examples tests/fixtures

``tests/test_rules_docs.py`` fails when the committed file differs from a fresh rendering.

For each rule the chosen fixture is, in order of preference: one where the rule's finding is
``fixed`` and the fixture has an expected output, then ``unsafe`` with an expected output, then any
fixture reporting the rule; among those, the one with the shortest example. The example is the
top-level statement (usually the function) holding the finding's line, before and after.
"""

from __future__ import annotations

import functools
import json
import shlex
import sys
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

DATA = Path(__file__).with_name("rule_examples.json")
_PREFERENCE = {"fixed": 0, "unsafe": 1, "not-fixed": 2}


@functools.lru_cache(maxsize=None)
def _top_level_statements(text: str) -> tuple[tuple[int, int, str, str | None], ...]:
    """(first line, last line, source, name when a def/class) of each top-level statement: parsed
    once per file, whatever number of findings it has."""
    wrapper = MetadataWrapper(cst.parse_module(text))
    positions = wrapper.resolve(PositionProvider)
    module = wrapper.module
    return tuple(
        (positions[statement].start.line, positions[statement].end.line, module.code_for_node(statement).strip("\n"),
         statement.name.value if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) else None)
        for statement in module.body
    )


def _top_level_at(text: str, line: int) -> tuple[str, str | None]:
    """(the source of the top-level statement holding ``line``, its name when it is a def/class)."""
    for start, end, source, name in _top_level_statements(text):
        if start <= line <= end:
            return source, name
    return text.strip("\n"), None  # a finding on the module itself (an import, the x64 switch)


def _named(text: str, name: str | None) -> str:
    if name is not None:
        for _, _, source, found in _top_level_statements(text):
            if found == name:
                return source
    return text.strip("\n")


def _flags(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    prefix = "# jaxify-test:"
    return " ".join(shlex.split(first[len(prefix):])) if first.startswith(prefix) else ""


def render(fixtures: Path) -> dict[str, dict[str, str]]:
    """Rule code -> {fixture, flags, finding, before, after} ("after" empty when nothing changed)."""
    candidates: dict[str, list[tuple[tuple, dict[str, str]]]] = {}
    for findings in sorted(fixtures.rglob("*.findings")):
        case = findings.with_suffix(".py")
        if not case.exists():
            continue
        source = case.read_text(encoding="utf-8")
        expected = case.with_name(case.stem + ".expected.py")
        after_text = expected.read_text(encoding="utf-8") if expected.exists() else ""
        for raw in findings.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            line_text, code, status = raw.split()[:3]
            before, name = _top_level_at(source, int(line_text))
            after = _named(after_text, name) if after_text else ""
            if after == before:
                after = ""
            example = {
                "fixture": case.relative_to(fixtures).with_suffix("").as_posix(),
                "flags": _flags(source),
                "finding": f"line {line_text}: {code} {status}",
                "before": before,
                "after": after,
            }
            rank = (_PREFERENCE.get(status, 3) + (0 if after else 2), len(before) + len(after), example["fixture"])
            candidates.setdefault(code, []).append((rank, example))
    return {code: min(found, key=lambda pair: pair[0])[1] for code, found in sorted(candidates.items())}


def load() -> dict[str, dict[str, str]]:
    return json.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}


def as_text(example: dict[str, str]) -> str:
    """The Example section: the fixture's code before and after, indented as code."""
    flags = f" with `{example['flags']}`" if example["flags"] else ""
    parts = [f"From tests/fixtures/{example['fixture']}.py{flags} ({example['finding']}).", "", "Before:", ""]
    parts += [f"    {line}" if line else "" for line in example["before"].splitlines()]
    if example["after"]:
        parts += ["", "After:", ""]
        parts += [f"    {line}" if line else "" for line in example["after"].splitlines()]
    else:
        parts += ["", "(left as it is, with the finding)"]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    fixtures = Path(argv[0]) if argv else Path("tests/fixtures")
    DATA.write_text(json.dumps(render(fixtures), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

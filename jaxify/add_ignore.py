"""``--add-ignore``: write ``# jaxify: ignore[CODE]`` on each line that still has a finding that
needs a person, as ruff's ``--add-noqa`` does, so a code base can adopt jaxify and gate new code.

A comment goes at the end of the finding's own line (that is the line suppressions are read
from). It merges into a ``# jaxify: ignore[...]`` already there and follows any other comment. A
line inside a string that spans lines, or continued with a backslash, cannot carry a comment:
such findings are counted as left, never papered over by a comment on another line.
"""

from __future__ import annotations

import dataclasses
import io
import tokenize
from collections import defaultdict
from pathlib import Path

from jaxify.findings import Finding
from jaxify.source import FileChanged, UnreadableSource, decode, read_regular_file, write_atomically
from jaxify.suppression import DIRECTIVE


@dataclasses.dataclass
class Added:
    comments: int = 0
    files: int = 0
    left: list[Finding] = dataclasses.field(default_factory=list)  # lines that cannot carry a comment


def _line_ends(text: str) -> set[int]:
    """Lines that end a logical or bracketed physical line: a comment may be appended there."""
    ends = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            ends.add(token.start[0])
    return ends


def _with_codes(line: str, codes: set[str]) -> str:
    """``line`` (without its line ending) carrying an ignore comment for ``codes``."""
    existing = DIRECTIVE.search(line)
    if existing and existing.group("codes") is None:
        return line  # a bare `# jaxify: ignore` silences every rule already
    if existing:
        merged = {c.strip().upper() for c in existing.group("codes").split(",") if c.strip()} | codes
        return f"{line[: existing.start()]}# jaxify: ignore[{', '.join(sorted(merged))}]{line[existing.end():]}"
    return f"{line.rstrip()}  # jaxify: ignore[{', '.join(sorted(codes))}]"


def add_ignores(path: Path, findings: list[Finding]) -> tuple[int, list[Finding]]:
    """Write the comments for ``findings`` (all in ``path``); returns (comments written, findings left)."""
    try:
        data = read_regular_file(path)
        source = decode(data)
    except UnreadableSource:
        return 0, list(findings)
    try:
        ends = _line_ends(source.text)
    except (tokenize.TokenError, SyntaxError):
        return 0, list(findings)
    by_line: dict[int, set[str]] = defaultdict(set)
    left = []
    for finding in findings:
        if finding.line in ends:
            by_line[finding.line].add(finding.code)
        else:
            left.append(finding)
    lines = source.text.splitlines(keepends=True)
    for number, codes in by_line.items():
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        lines[number - 1] = _with_codes(body, codes) + line[len(body):]
    if by_line:
        try:
            write_atomically(path, source.encode("".join(lines)), expected=data)
        except FileChanged:  # edited since it was read: the user's edit wins
            return 0, list(findings)
    return len(by_line), left


def add_ignore_comments(findings: list[Finding]) -> Added:
    per_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if not finding.code.startswith("JX0"):  # engine findings: the file was not processed
            per_file[finding.path].append(finding)
    added = Added()
    for name, own in sorted(per_file.items()):
        comments, left = add_ignores(Path(name), own)
        added.comments += comments
        added.files += bool(comments)
        added.left += left
    return added


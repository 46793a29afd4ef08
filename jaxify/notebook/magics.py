"""IPython syntax in notebook cells: masked before parsing, put back after the rewrite.

A notebook cell may hold lines that are not Python: line magics (``%timeit f(x)``), shell lines
(``!pip install numpy``), their assignment forms (``files = !ls``), help lines (``np.zeros?``)
and cell magics (``%%time`` on the first line). LibCST cannot parse them, so each is replaced by
a call to a placeholder (``__jaxify_magic__(3)``) that is valid Python, keeps the line count and
the indentation (a ``%time`` inside a loop body stays a statement of that body), and reads to
every codemod as a call to an unknown function: code around a shell command is never treated as
pure. After the rewrite each placeholder must still be there exactly once; it is replaced by the
original text. A rewrite that dropped or copied one is refused rather than guessed at.

Only lines that begin a logical line are IPython syntax: ``% b`` continuing an expression inside
brackets is Python's modulo, and ``%`` inside a string is text. A small scanner follows brackets,
strings and backslash continuations to tell them apart, as IPython's own input transformer does.
"""

from __future__ import annotations

import dataclasses
import re

PLACEHOLDER = "__jaxify_magic__({})"
PLACEHOLDER_PATTERN = re.compile(r"__jaxify_magic__\((\d+)\)")

# Cell magics whose body is ordinary Python: the body is rewritten, the magic line is kept.
# Any other cell magic (%%bash, %%writefile, %%html, %%cython, ...) makes the cell not Python.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

_ASSIGNED_MAGIC = re.compile(r"^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)([%!].*)$")
_HELP_LINE = re.compile(r"^\s*(\?\??[\w.]+|[\w.]+\?\??)\s*$")


class MaskError(Exception):
    """The rewrite lost, copied or moved an IPython line: the cell cannot be put back safely."""


@dataclasses.dataclass
class Masks:
    """The original text of every placeholder, numbered across the whole notebook."""

    texts: list[str] = dataclasses.field(default_factory=list)

    def add(self, text: str) -> str:
        self.texts.append(text)
        return PLACEHOLDER.format(len(self.texts) - 1)

    def restore(self, text: str, expected: set[int]) -> str:
        """Put back the placeholders ``expected`` in ``text``; each must occur exactly once."""
        found = [int(number) for number in PLACEHOLDER_PATTERN.findall(text)]
        if sorted(found) != sorted(expected):
            raise MaskError("the rewrite moved, dropped or copied an IPython magic or shell line")
        return PLACEHOLDER_PATTERN.sub(lambda match: self.texts[int(match.group(1))], text)


def cell_magic_name(source: str) -> str | None:
    """``time`` for a cell that starts with ``%%time``; None for a cell without a cell magic."""
    if not source.startswith("%%"):
        return None
    return source[2:].split(None, 1)[0] if source[2:].strip() else ""


def is_python_cell(source: str) -> bool:
    name = cell_magic_name(source)
    return name is None or name in PYTHON_CELL_MAGICS


def mask_cell(source: str, masks: Masks) -> str:
    """``source`` with every IPython line replaced by a placeholder call (same lines, same indents)."""
    lines = source.splitlines(keepends=True)
    scanner = _LogicalLines()
    masked = []
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        if scanner.at_statement_start():
            replacement = _mask_line(body, masks, first_line=index == 0)
            if replacement is not None:
                masked.append(replacement + ending)
                continue
        scanner.feed(body)
        masked.append(line)
    return "".join(masked)


def _mask_line(body: str, masks: Masks, first_line: bool) -> str | None:
    stripped = body.lstrip()
    indent = body[: len(body) - len(stripped)]
    if first_line and stripped.startswith("%%"):
        return indent + masks.add(stripped)
    if stripped.startswith(("%", "!")) or _HELP_LINE.match(body):
        return indent + masks.add(stripped)
    assigned = _ASSIGNED_MAGIC.match(body)
    if assigned:
        return assigned.group(1) + masks.add(assigned.group(2))
    return None


class _LogicalLines:
    """Follows brackets, strings and continuations to know where a new statement may begin."""

    def __init__(self):
        self.depth = 0
        self.string: str | None = None  # the open string's quote: ' " ''' or """
        self.continued = False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> None:
        index, in_comment = 0, False
        while index < len(line):
            char = line[index]
            if self.string:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.string, index):
                    index += len(self.string)
                    self.string = None
                    continue
            elif char == "#":
                in_comment = True
                break
            elif char in "\"'":
                self.string = line[index:index + 3] if line[index:index + 3] in ('"""', "'''") else char
                index += len(self.string)
                continue
            elif char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        self.continued = not in_comment and line.endswith("\\")
        if self.string in ("'", '"') and not self.continued:
            self.string = None  # a one-quote string ends with its line (or is a syntax error)

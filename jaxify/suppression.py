"""``# jaxify: ignore[JX301]`` comments (on a line, or on a ``def`` line for the whole function)
and ``# jaxify: skip-file``."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from jaxify import python_ast

DIRECTIVE = re.compile(r"#\s*jaxify:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?")
SKIP_FILE = re.compile(r"^#\s*jaxify:\s*skip-file\b", re.MULTILINE)

ALL = frozenset({"*"})


def _comments(text: str) -> dict[int, frozenset[str]]:
    found: dict[int, frozenset[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = DIRECTIVE.search(token.string)
            if match:
                codes = match.group("codes")
                found[token.start[0]] = (
                    frozenset(c.strip().upper() for c in codes.split(",") if c.strip()) if codes else ALL
                )
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


class Suppressions:
    """Which rule codes are silenced on which lines of the original source."""

    def __init__(self, text: str):
        self.skip_file = bool(SKIP_FILE.search(text))
        self._lines = _comments(text) if "jaxify" in text else {}
        self._ranges: list[tuple[int, int, frozenset[str]]] = []
        if self._lines:
            try:
                tree = python_ast.parse(text)
            except (SyntaxError, ValueError):
                tree = None
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                    header_end = node.body[0].lineno - 1 if node.body else node.lineno
                    for line in range(first, max(header_end, node.lineno) + 1):
                        if line in self._lines:
                            self._ranges.append((first, node.end_lineno or node.lineno, self._lines[line]))

    def is_suppressed(self, code: str, line: int) -> bool:
        def matches(codes: frozenset[str]) -> bool:
            return codes is ALL or any(code.upper().startswith(c) for c in codes)

        if line in self._lines and matches(self._lines[line]):
            return True
        return any(start <= line <= end and matches(codes) for start, end, codes in self._ranges)

    def unknown_codes(self) -> list[tuple[int, str]]:
        """(line, code) for each code in an ignore comment that names no rule, e.g. a typo."""
        from jaxify.config import unknown_codes

        return [
            (line, code)
            for line, codes in sorted(self._lines.items())
            if codes is not ALL
            for code in unknown_codes(codes)
        ]

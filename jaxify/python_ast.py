"""CPython's own parser and compiler, one thread at a time.

CPython 3.11 keeps the AST constructor's recursion depth in interpreter-wide state, and a parse
that fails part-way can leave it off by some levels; two threads parsing at once then fail with
``SystemError: AST constructor recursion depth mismatch`` (CPython gh-106905). ``jaxify verify
--jobs N`` rewrites several modules at once in threads, so every ``ast.parse`` and ``compile`` of
jaxify goes through this lock. LibCST's parser is native code with no such state.
"""

from __future__ import annotations

import ast
import threading
import warnings

_LOCK = threading.Lock()


def parse(text: str) -> ast.Module:
    with _LOCK:
        return ast.parse(text)


def compile_quietly(text: str, path: str) -> None:
    """``compile`` for its errors only; warnings (invalid escapes and the like) are not jaxify's business."""
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compile(text, path, "exec", dont_inherit=True)

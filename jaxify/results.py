"""A file's result, and what the pipeline does to a file short of rewriting it.

Kept apart from ``jaxify.engine`` because it is light: it imports neither LibCST's codemod
machinery nor the codemods (and so JAX). The process that reports settles here every file that
needs no rewrite (no NumPy or JAX in it, unreadable, or its result in the cache) before any worker
starts, so a rerun on an unchanged tree starts no worker and imports no codemod.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from jaxify.cache import ResultCache
from jaxify.config import Options
from jaxify.discovery import mentions_numpy_or_jax
from jaxify.findings import Finding, Status
from jaxify.source import (
    FileChanged, SourceText, UnreadableSource, decode, is_read_only, read_regular_file, wide_bom, write_atomically,
)


@dataclasses.dataclass
class FileResult:
    path: str
    original: str | None = None
    rewritten: str | None = None  # None when nothing changes
    findings: list[Finding] = dataclasses.field(default_factory=list)
    failed: bool = False  # an engine finding: the file could not be processed
    skipped: bool = False  # filtered out before parsing (no numpy/jax, or skip-file)
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.rewritten is not None and self.rewritten != self.original


def engine_finding(path: str, code: str, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(path, line, col, code, message, Status.NOT_FIXED, reason="file skipped")


@dataclasses.dataclass(frozen=True)
class FileToRewrite:
    """A file read and decoded whose result is not known yet; ``key`` is its cache key (None: no cache)."""

    data: bytes
    source: SourceText
    key: str | None


def settle(path: Path, options: Options, apply: bool, cache: ResultCache | None) -> FileResult | FileToRewrite:
    """The result of ``path`` when it needs no rewrite (skipped, unreadable, or cached: with ``apply``
    a cached rewrite is written), else the file as read, for the rewrite."""
    name = str(path)
    try:
        data = read_regular_file(path)
        # The text pre-filter cannot read UTF-16/32; decode reports NUL bytes (BOM-less UTF-16).
        if not mentions_numpy_or_jax(data) and wide_bom(data) is None and b"\x00" not in data:
            return FileResult(name, skipped=True)
        source = decode(data)
    except UnreadableSource as error:
        return FileResult(name, failed=True, findings=[engine_finding(name, "JX001", str(error))])
    key = cache.key(name, data, options) if cache is not None else None
    cached = cache.get(key) if cache is not None else None
    if cached is None:
        return FileToRewrite(data, source, key)
    result = FileResult(name, source.text, cached.rewritten, cached.findings)
    finish(path, data, source, result, apply)
    return result


def settled_result(path: Path, options: Options, apply: bool, cache: ResultCache | None) -> FileResult | None:
    """``settle``'s result when the file needs no rewrite, else None (a worker rewrites it)."""
    settled = settle(path, options, apply, cache)
    return settled if isinstance(settled, FileResult) else None


def finish(path: Path, original: bytes, source: SourceText, result: FileResult, apply: bool) -> None:
    """With ``apply``, write a result that changes the file."""
    if apply and result.changed and not result.failed:
        write_result(path, original, source, result)


def write_result(path: Path, original: bytes, source: SourceText, result: FileResult) -> None:
    """Write the rewrite over the file read as ``original``, or explain with a JX001 why not.

    A symbolic link is kept: its target (inside the tree, discovery made sure) is rewritten.
    """
    target = Path(os.path.realpath(path))
    problem = None
    try:
        if is_read_only(target):
            problem = "the file is read-only; left unchanged (make it writable to let jaxify rewrite it)"
        else:
            write_atomically(target, source.encode(result.rewritten), expected=original)
            result.written = True
            return
    except FileChanged as error:
        problem = str(error)
    except (OSError, UnicodeEncodeError) as error:
        problem = f"cannot write file: {error}"
    result.failed = True
    result.rewritten = None  # nothing changed on disk, and the summary must not count it
    result.findings.append(engine_finding(result.path, "JX001", problem))

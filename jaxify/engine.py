"""The pipeline for one file: read, parse once, run the codemods in order, check, write.

Each codemod's output is the next one's input. After a codemod changes the module, its code is
parsed again: that proves the output is valid Python before anything else happens, and gives the
next codemod a tree with fresh node identities for its metadata. A changed file is run
through the whole pipeline again until a pass changes nothing; if that takes more than
``MAX_PASSES``, the rewrite is not idempotent and the file is left untouched with an
internal-error finding.
"""

from __future__ import annotations

import dataclasses
import traceback
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper

from jaxify.cache import ResultCache
from jaxify.codemod import FileContext, LineMap
from jaxify.config import Options
from jaxify.discovery import mentions_numpy_or_jax
from jaxify.findings import Finding, Status
from jaxify.source import UnreadableSource, decode, write_atomically
from jaxify.suppression import Suppressions


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


class RewriteError(Exception):
    """A codemod crashed or produced code that does not parse: a bug in jaxify."""


def _engine_finding(path: str, code: str, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(path, line, col, code, message, Status.NOT_FIXED, reason="file skipped")


def _syntax_error_finding(path: str, text: str, error: cst.ParserSyntaxError) -> Finding:
    """Python's own compiler names the line and the problem more precisely than LibCST does."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as python_error:
        return _engine_finding(
            path, "JX002", f"syntax error: {python_error.msg}", python_error.lineno or 1, python_error.offset or 1
        )
    except (ValueError, RecursionError, MemoryError):
        pass
    return _engine_finding(
        path, "JX002", f"LibCST cannot parse this file: {error.message}", error.editor_line, error.editor_column
    )


def run_codemods(
    text: str, path: str, options: Options, origin: str | None = None
) -> tuple[str, list[Finding], list[str]]:
    """One pass of the pipeline over ``text``: the new text, the findings, the codemods that changed it.

    ``origin`` is the file as the user wrote it (``text`` itself on the first pass): findings
    carry its line numbers and its ``# jaxify:`` comments decide what is suppressed.
    Raises ParserSyntaxError for invalid input and RewriteError for bugs in a codemod.
    """
    from jaxify.codemods import CODEMODS

    origin = text if origin is None else origin
    suppressions = Suppressions(origin)
    context = FileContext(path=path, options=options, original_text=origin, suppressions=suppressions)
    if suppressions.skip_file:
        return text, [], []
    current = text
    changed_by: list[str] = []
    # One wrapper per distinct tree: codemods that change nothing hand the same wrapper, and so
    # the metadata and analyses already resolved on it, to the next codemod.
    wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    for codemod_class in CODEMODS:
        if not options.family_selected([rule.code for rule in codemod_class.RULES]):
            continue
        if not codemod_class.applies_to(current):
            continue
        context.line_map = LineMap(origin, current)
        codemod = codemod_class(context, wrapper)
        try:
            new_module = codemod.finish(wrapper.visit(codemod))
        except Exception as error:
            raise RewriteError(
                f"{codemod_class.__name__} crashed: {type(error).__name__}: {error}\n{traceback.format_exc()}"
            ) from error
        new_text = new_module.code
        if new_text == current:
            continue
        try:
            wrapper = MetadataWrapper(cst.parse_module(new_text), unsafe_skip_copy=True)
        except cst.ParserSyntaxError as error:
            raise RewriteError(f"{codemod_class.__name__} produced code that does not parse: {error}") from error
        current = new_text
        changed_by.append(codemod_class.__name__)
    return current, context.findings, changed_by


MAX_PASSES = 4


def _run_to_fixpoint(text: str, path: str, options: Options) -> tuple[str, list[Finding]]:
    """Run the pipeline until a pass changes nothing, as ruff repeats its fixes.

    A later codemod's rewrite can make an earlier one applicable (an array that became a jax
    array lets a NumPy call on it move to jax.numpy), so one pass is not always a fixpoint. Every
    pass keeps the program's meaning, so repeating them does too. The fixes of every pass are
    reported; what is left unfixed is reported as the last, unchanging pass sees it.
    """
    fixed: list[Finding] = []
    current = text
    for _ in range(MAX_PASSES):
        new, findings, changed_by = run_codemods(current, path, options, origin=text)
        if new == current:
            return current, fixed + findings
        fixed += [finding for finding in findings if finding.status is Status.FIXED]
        current = new
    raise RewriteError(
        f"the rewrite is not idempotent: pass {MAX_PASSES} of {', '.join(changed_by)} still changes the output"
    )


def rewrite_text(text: str, path: str, options: Options) -> FileResult:
    """Rewrite a module held in memory; engine problems become findings, never exceptions."""
    result = FileResult(path=path, original=text)
    try:
        rewritten, findings = _run_to_fixpoint(text, path, options)
    except cst.ParserSyntaxError as error:
        result.failed = True
        result.findings = [_syntax_error_finding(path, text, error)]
        return result
    except (RewriteError, RecursionError) as error:
        result.failed = True
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        result.findings = [
            _engine_finding(path, "JX003", f"internal error, please report it: {first}")
        ]
        return result
    result.findings = findings
    result.rewritten = rewritten if rewritten != text else None
    return result


def process_file(path: Path, options: Options, apply: bool, cache: ResultCache | None = None) -> FileResult:
    """Read, rewrite and (with ``apply``) write one file; ``cache`` holds results of unchanged files."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(
            name, failed=True, findings=[_engine_finding(name, "JX001", f"cannot read file: {error.strerror or error}")]
        )
    if not mentions_numpy_or_jax(data):
        return FileResult(name, skipped=True)
    try:
        source = decode(data)
    except UnreadableSource as error:
        return FileResult(name, failed=True, findings=[_engine_finding(name, "JX001", str(error))])
    key = cache.key(name, data) if cache is not None else None
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        result = FileResult(name, source.text, cached.rewritten, cached.findings)
    else:
        result = rewrite_text(source.text, name, options)
        if cache is not None and not result.failed:
            cache.put(key, result.rewritten, result.findings)
    if apply and result.changed and not result.failed:
        try:
            write_atomically(path, source.encode(result.rewritten))
            result.written = True
        except (OSError, UnicodeEncodeError) as error:
            result.failed = True
            result.findings.append(_engine_finding(name, "JX001", f"cannot write file: {error}"))
    return result

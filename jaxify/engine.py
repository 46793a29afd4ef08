"""The pipeline for one file: read, parse once, run the codemods in order, check, write.

Each codemod's output is the next one's input. After a codemod changes the module, its code is
parsed again: that proves the output is valid Python before anything else happens, and gives the
next codemod a tree with fresh node identities for its metadata. A changed file is run
through the whole pipeline again until a pass changes nothing; if that takes more than
``MAX_PASSES``, the rewrite is not idempotent and the file is left untouched with an
internal-error finding.
"""

from __future__ import annotations

import operator
import traceback
from pathlib import Path

import libcst as cst

from jaxify import slicing
from jaxify.cache import ResultCache
from jaxify.codemod import FileContext
from jaxify.config import Options
from jaxify.findings import Finding, Status
from jaxify.import_aliases import follow_module_imports
from jaxify.function_gate import GATE_CODE, Verdict, whole_functions
from jaxify.linemap import LineMap
from jaxify.parses import Parses
from jaxify.python_ast import compile_quietly
from jaxify.results import FileResult, engine_finding, finish, settle
from jaxify.runner import still_working
from jaxify.suppression import Suppressions
from jaxify.transform import transform


class RewriteError(Exception):
    """A codemod crashed or produced code that does not parse: a bug in jaxify."""


def _syntax_error_finding(path: str, text: str, error: cst.ParserSyntaxError) -> Finding:
    """Python's own compiler names the line and the problem more precisely than LibCST does."""
    try:
        compile_quietly(text, path)
    except SyntaxError as python_error:
        return engine_finding(
            path, "JX002", f"syntax error: {python_error.msg}", python_error.lineno or 1, python_error.offset or 1
        )
    except (ValueError, RecursionError, MemoryError):
        pass
    return engine_finding(
        path, "JX002", f"LibCST cannot parse this file: {error.message}", error.editor_line, error.editor_column
    )


NESTING_ERRORS = ("too many nested", "too many statically nested", "too deeply nested")


def _nesting_finding(text: str, path: str) -> Finding | None:
    """A JX002 finding when the code nests deeper than Python itself accepts, else None.

    LibCST's native parser overflows its stack (a segfault) on such input, so CPython's own
    compiler, which has explicit limits, looks first. Other syntax errors are left to LibCST:
    it parses syntax newer than the running Python.
    """
    try:
        compile_quietly(text, path)
    except SyntaxError as error:
        if any(marker in str(error.msg) for marker in NESTING_ERRORS):
            return engine_finding(path, "JX002", f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
    except (RecursionError, MemoryError):
        return engine_finding(path, "JX002", "the code nests too deeply for Python's parser")
    except ValueError:
        pass  # NUL bytes: LibCST reports them
    return None


def run_codemods(
    text: str, path: str, options: Options, origin: str | None = None, verdict: Verdict = Verdict(),
    parses: Parses | None = None,
) -> tuple[str, list[Finding], list[str]]:
    """One pass of the pipeline over ``text``: the new text, the findings, the codemods that changed it.

    ``origin`` is the file as the user wrote it (``text`` itself on the first pass): findings
    carry its line numbers and its ``# jaxify:`` comments decide what is suppressed. ``verdict``
    is the whole-function gate's: the functions that keep NumPy, those that convert in full.
    ``parses`` holds the trees of the texts this file's rewrite parsed before.
    Raises ParserSyntaxError for invalid input and RewriteError for bugs in a codemod.
    """
    from jaxify.codemods import CODEMODS

    origin = text if origin is None else origin
    suppressions = Suppressions(origin)
    context = FileContext(path=path, options=options, original_text=origin, suppressions=suppressions,
                          frozen=verdict.frozen, converted=verdict.converted)
    if suppressions.skip_file:
        return text, [], []
    current = text
    changed_by: list[str] = []
    parses = context.parses = parses or Parses()
    # One wrapper per distinct tree: codemods that change nothing hand the same wrapper, and so
    # the metadata and analyses already resolved on it, to the next codemod.
    wrapper = parses.wrapper(text)
    for codemod_class in CODEMODS:
        if not options.family_selected([rule.code for rule in codemod_class.RULES]):
            continue
        if not codemod_class.may_act(current, context):
            continue
        # A codemod's run follows from the text it is given, the user's file, the options and the
        # gate's verdict (codemods never read each other's findings): a run made before, on the
        # pass that produced this text, is read back instead of made again.
        run_key = (codemod_class, current, origin, path, options, verdict)
        known = parses.runs.get(run_key)
        if known is not None:
            new_text, added = known
            context.findings.extend(added)
        else:
            context.line_map = LineMap(origin, current)
            new_text, added = _run_codemod(codemod_class, context, wrapper, current)
            if added is not None:
                parses.runs[run_key] = new_text, added
        if new_text == current:
            continue
        try:
            wrapper = parses.wrapper(new_text)
        except cst.ParserSyntaxError as error:
            raise RewriteError(f"{codemod_class.__name__} produced code that does not parse: {error}") from error
        current = new_text
        changed_by.append(codemod_class.__name__)
    return follow_module_imports(text, current), context.findings, changed_by


def _run_codemod(codemod_class: type, context: FileContext, wrapper: cst.MetadataWrapper,
                 current: str) -> tuple[str, tuple[Finding, ...] | None]:
    """Run one codemod on ``wrapper``'s module (whose text is ``current``): the new text, and the
    findings it added to ``context`` (None when it also changed findings reported before it, so
    that its run cannot be read back as findings added)."""
    before = list(context.findings)
    codemod = codemod_class(context, wrapper)
    try:
        new_module = codemod.finish(transform(wrapper, codemod))
    except MemoryError:
        raise  # the file is too big for the memory limit: not a bug in the codemod
    except Exception as error:
        raise RewriteError(
            f"{codemod_class.__name__} crashed: {type(error).__name__}: {error}\n{traceback.format_exc()}"
        ) from error
    findings = context.findings
    kept = len(findings) >= len(before) and all(map(operator.is_, before, findings))
    added = tuple(findings[len(before):]) if kept else None
    # untouched: LibCST prints a parsed module back as the text it was parsed from
    return (current if new_module is wrapper.module else new_module.code), added


MAX_PASSES = 4


def _run_to_fixpoint(text: str, path: str, options: Options, verdict: Verdict = Verdict(),
                     parses: Parses | None = None) -> tuple[str, list[Finding]]:
    """Run the pipeline until a pass changes nothing, as ruff repeats its fixes.

    A later codemod's rewrite can make an earlier one applicable (an array that became a jax
    array lets a NumPy call on it move to jax.numpy), so one pass is not always a fixpoint. Every
    pass keeps the program's meaning, so repeating them does too. The fixes of every pass are
    reported; what is left unfixed is reported as the last, unchanging pass sees it.
    """
    fixed: list[Finding] = []
    current = text
    for _ in range(MAX_PASSES):
        new, findings, changed_by = run_codemods(current, path, options, origin=text, verdict=verdict, parses=parses)
        if new == current:
            return current, fixed + findings
        fixed += [finding for finding in findings if finding.status is Status.FIXED]
        current = new
    raise RewriteError(
        f"the rewrite is not idempotent: pass {MAX_PASSES} of {', '.join(changed_by)} still changes the output"
    )


def _rewrite(text: str, path: str, options: Options) -> tuple[str, list[Finding]]:
    """The rewrite of a whole module and its findings; raises as ``run_codemods`` does."""
    parses = Parses()
    try:
        if options.partial or not options.is_selected(GATE_CODE):
            return _run_to_fixpoint(text, path, options, parses=parses)
        return whole_functions(
            text, path, options, lambda verdict: _run_to_fixpoint(text, path, options, verdict, parses), parses
        )
    finally:
        parses.release()


def _rewrite_in_slices(text: str, path: str, options: Options) -> tuple[str, list[Finding]] | None:
    """The rewrite of a large module a few connected functions at a time (``jaxify.slicing``), or
    None when it is small, cannot be cut, or its slices' rewrites cannot be put back together.
    The runner rewrites a large file's slices in its workers side by side instead (``jaxify.divisions``)."""
    plan = slicing.plan(text)
    if plan is None:
        return None
    pieces = slicing.pieces(plan)
    outputs = []
    for piece in pieces:
        outputs.append(_rewrite(piece.text, path, options))
        still_working()  # in a worker, the per-file time limit starts again for the next slice
    return slicing.assemble(plan, pieces, outputs)


def rewrite_text(text: str, path: str, options: Options, slices: bool = True) -> FileResult:
    """Rewrite a module held in memory; engine problems become findings, never exceptions.
    ``slices``: a large module may be rewritten a slice at a time (False: always whole)."""
    result = FileResult(path=path, original=text)
    too_deep = _nesting_finding(text, path)
    if too_deep is not None:
        result.failed = True
        result.findings = [too_deep]
        return result
    try:
        rewritten, findings = (slices and _rewrite_in_slices(text, path, options)) or _rewrite(text, path, options)
    except cst.ParserSyntaxError as error:
        result.failed = True
        result.findings = [_syntax_error_finding(path, text, error)]
        return result
    except (RewriteError, RecursionError) as error:
        result.failed = True
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        result.findings = [
            engine_finding(path, "JX003", f"internal error, please report it: {first}")
        ]
        return result
    result.findings = findings
    result.rewritten = rewritten if rewritten != text else None
    return result


def process_file(path: Path, options: Options, apply: bool, cache: ResultCache | None = None) -> FileResult:
    """Read, rewrite and (with ``apply``) write one file; every problem becomes a finding.

    ``cache`` holds the results of files seen before with the same bytes and options."""
    settled = settle(path, options, apply, cache)
    if isinstance(settled, FileResult):
        return settled
    from jaxify.notebook import is_notebook, rewrite_notebook  # imported here: jaxify.notebook imports this module

    name = str(path)
    result = (rewrite_notebook if is_notebook(path) else rewrite_text)(settled.source.text, name, options)
    if cache is not None and not result.failed:
        cache.put(settled.key, result.rewritten, result.findings)
    finish(path, settled.data, settled.source, result, apply)
    return result

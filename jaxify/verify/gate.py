"""``jaxify PATH --apply --require verified [--capture CMD]``: write only what verifies (issue 14).

The rewrite runs as usual, without writing. Then the command CMD (the project's test suite, a
script) runs once with every call of the changed files' module-level functions recorded
(capture.py), and each changed module is verified (session.py) on those calls and on the
examples it declares (``jaxify_examples``); generated inputs do not count, since they say nothing
about what the project passes. A function is written in its rewritten form only when verify
proved it (an identity) or verified it on recorded or declared calls, and only together with the
rewrites linked to it (splice.py). Every function that keeps its original text gets a JX004
finding saying why; the fixes reported inside it are withdrawn, since they are not applied.

Notebooks are left as they are, with a JX004 finding: cutting a partial rewrite back into cells
is not supported yet.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from jaxify.config import Options
from jaxify.engine import FileResult, engine_finding
from jaxify.findings import Finding, Status
from jaxify.notebook import is_notebook
from jaxify.results import write_result
from jaxify.source import UnreadableSource, decode, read_regular_file
from jaxify.verify.capture import capture_calls
from jaxify.verify.session import VerifySettings, corpus_examples_for, verify_source
from jaxify.verify.splice import splice

REQUIREMENTS = ("verified",)
GATE_CODE = "JX004"
CAPTURE_TIMEOUT = 3600.0  # a whole test suite may run for a while
TRUSTED_SOURCES = ("captured", "examples")
HINT = ("`jaxify verify FILE --capture CMD` shows the details; a function is written once calls that the command "
        "makes (a test) or that a `jaxify_examples()` function declares verify it, and those of the functions "
        "linked to it")


def gate_results(results: list[FileResult], options_of: Callable[[str], Options], capture: str | None,
                 apply: bool) -> list[FileResult]:
    """Cut each changed result back to what verifies, and write it with ``apply``; in place."""
    candidates = [result for result in results if result.changed and not result.failed]
    if not candidates:
        return results
    with tempfile.TemporaryDirectory(prefix="jaxify-gate-") as scratch:
        captured = capture_calls(capture, [Path(result.path) for result in candidates], Path(scratch),
                                 CAPTURE_TIMEOUT) if capture else {}
        for result in candidates:
            keep_verified(result, options_of(result.path), captured.get(str(Path(result.path).resolve())),
                          with_capture=bool(capture))
            if apply and result.changed:
                _write(result)
    return results


def keep_verified(result: FileResult, options: Options, captured: Path | None, with_capture: bool = True) -> None:
    """Replace ``result``'s rewrite by the part that verifies, with a finding for the rest."""
    path = Path(result.path)
    if is_notebook(path):  # its texts are notebooks (JSON), not modules
        result.findings = [finding for finding in result.findings if finding.status is not Status.FIXED]
        result.findings.append(_finding(result.path, 1, "the notebook keeps its original code: evidence-gated "
                                        "apply does not cover notebooks yet; check it with `jaxify verify` and "
                                        "apply it without --require"))
        result.rewritten = None
        return
    settings = VerifySettings(hypothesis=0, import_roots=(str(Path.cwd()),))  # where CMD imports from
    report = verify_source(result.original, result.rewritten, path, options, settings,
                           examples=corpus_examples_for(path), captured=captured, findings=result.findings)
    module_reason = f"the module could not be verified: {report.findings[0]['message']}" if report.findings else ""
    verdicts = {entry["function"]: module_reason or _verdict(entry, with_capture) for entry in report.functions}
    piece = splice(result.original, result.rewritten, verdicts)
    module_reason = module_reason or piece.module_reason
    whole = not piece.kept
    spans = [span for span, _ in piece.held_back.values()]
    result.findings = [finding for finding in result.findings
                       if not (finding.status is Status.FIXED and (whole or any(a <= finding.line <= b for a, b in spans)))]
    for name, ((line, _), why) in piece.held_back.items():
        result.findings.append(_finding(result.path, line, f"`{name}` keeps its original code: {why}"))
    if whole and (module_reason or not piece.held_back):
        why = module_reason or "the rewrite changes only module-level code, which verify does not check"
        result.findings.append(_finding(result.path, 1, f"the module keeps its original code: {why}"))
    result.rewritten = piece.text if piece.text != result.original else None


def _verdict(entry: dict, with_capture: bool) -> str | None:
    """None when verify's result for a function is evidence enough to write it, else why not."""
    evidence = entry["evidence"]
    if evidence == "proven" or (evidence == "verified" and entry.get("input_source") in TRUSTED_SOURCES):
        return None
    if evidence == "failed":
        found = next((finding["message"] for finding in entry.get("findings", [])), "it failed verification")
        return f"its rewrite failed verification: {found}"
    if evidence == "verified":
        return "its rewrite was verified only on generated inputs"
    if with_capture:
        return "its rewrite was not verified: no call recorded while the --capture command ran and no declared " \
               "example reached it"
    return "its rewrite was not verified: no --capture command was given and no declared example reached it"


def _finding(path: str, line: int, message: str) -> Finding:
    return Finding(path, line, 1, GATE_CODE, message, Status.NOT_FIXED, reason="not verified", hint=HINT)


def _write(result: FileResult) -> None:
    """Write the cut-back rewrite over the file, if the file is still what was rewritten."""
    path = Path(result.path)
    try:
        data = read_regular_file(path)
        source = decode(data)
    except (OSError, UnreadableSource) as error:
        data, source, problem = b"", None, f"cannot read the file again before writing it: {error}"
    else:
        problem = "" if source.text == result.original else \
            "the file changed while it was being verified; left as it is now"
    if problem:
        result.failed, result.rewritten = True, None
        result.findings.append(engine_finding(result.path, "JX001", problem))
        return
    write_result(path, data, source, result)

"""What a run found, in the terms every output format shares: the findings that need a person,
the summary, per-rule statistics, the edits behind each fix, and the exit status.

Exit status, as ruff's: 0 nothing left to do; 1 findings that need a person remain (an unsafe fix
not applied, a place not fixed) or, with ``--check``, files would change; 2 a file could not be
processed (usage errors exit 2 through click).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from functools import cache

from jaxify.results import FileResult
from jaxify.findings import Finding, Status
from jaxify.notebook import is_notebook, notebook_diff

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclasses.dataclass
class RunReport:
    """Every file's result, in path order, and how the run was asked to go."""

    results: list[FileResult]
    applied: bool = False
    check: bool = False
    show_fixes: bool = False
    with_diff: bool = True
    float32: bool = False  # some file was rewritten with --precision float32

    def findings(self, everything: bool = False) -> list[Finding]:
        """Sorted by file, line, column and code: those that need a person, or every one."""
        chosen = [
            finding
            for result in self.results
            for finding in result.findings
            if everything or needs_person(finding)
        ]
        return sorted(chosen, key=lambda f: (f.path, f.line, f.col, f.code))

    def pending(self) -> list[FileResult]:
        """Under ``--check``, the files that fail it because they would change."""
        return [result for result in self.results if self.check and result.changed]

    def shown_findings(self) -> list[Finding]:
        """What a report for people lists: what needs a decision, and the fixes with --show-fixes."""
        return self.findings(everything=self.show_fixes)


def needs_person(finding: Finding) -> bool:
    return finding.status is not Status.FIXED


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


# -- rules ---------------------------------------------------------------------------------------


@cache
def _rule_table() -> dict:
    from jaxify.rules import all_rules

    return {rule.code: rule for rule in all_rules()}


def rule_info(code: str) -> dict:
    """A rule's name and safety class; its documentation is ``jaxify rules CODE``."""
    from jaxify.rules import family_of

    rule = _rule_table().get(code)
    return {
        "code": code,
        "name": rule.name if rule else "unknown",
        "safety": rule.safety.value if rule else "report",
        "family": family_of(code),
        "summary": rule.summary if rule else "",
        "documentation": f"jaxify rules {code}",
    }


def applicability(finding: Finding) -> str:
    """As ruff's: ``safe`` or ``unsafe`` for a fix, ``none`` for a place nobody can fix automatically."""
    if finding.status is Status.FIXED:
        return "unsafe" if finding.unsafe_applied else "safe"
    return "unsafe" if finding.status is Status.UNSAFE else "none"


# -- diffs and edits -----------------------------------------------------------------------------


def unified_diff(result: FileResult) -> str:
    if not result.changed:
        return ""
    if is_notebook(result.path):
        return notebook_diff(result.path, result.original, result.rewritten)
    lines = difflib.unified_diff(
        result.original.splitlines(keepends=True),
        result.rewritten.splitlines(keepends=True),
        fromfile=f"a/{result.path}",
        tofile=f"b/{result.path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclasses.dataclass(frozen=True)
class Edit:
    """Original lines ``start_line..end_line`` (1-based, inclusive; ``end_line = start_line - 1``
    for a pure insertion before ``start_line``) become ``content``; offsets count characters."""

    start_line: int
    end_line: int
    offset: int
    length: int
    content: str

    def to_json(self) -> dict:
        return {"start_line": self.start_line, "end_line": self.end_line, "content": self.content}


def file_edits(result: FileResult) -> list[Edit]:
    """The changed blocks of lines between the original and the rewritten file."""
    if not result.changed:
        return []
    before = result.original.splitlines(keepends=True)
    after = result.rewritten.splitlines(keepends=True)
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        Edit(i1 + 1, i2, starts[i1], starts[i2] - starts[i1], "".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def edits_for(finding: Finding, edits: list[Edit]) -> list[Edit]:
    """The blocks of a fixed finding's rewrite: those touching the lines it reports.

    A rewrite can also add an import at the top of the file; that block belongs to no one finding.
    """
    if finding.status is not Status.FIXED:
        return []
    last = max(finding.line, finding.end_line)
    return [edit for edit in edits if edit.start_line <= last and max(edit.end_line, edit.start_line) >= finding.line]


# -- summary, statistics, exit status ------------------------------------------------------------


def summarize(report: RunReport) -> dict:
    results = report.results
    statuses = Counter(finding.status.value for result in results for finding in result.findings)
    rewritten_randomness = any(
        f.code.startswith("JX2") and f.status is Status.FIXED for r in results for f in r.findings
    )
    return {
        "files_scanned": len(results),
        "files_skipped": sum(r.skipped for r in results),
        "files_changed": sum(r.changed for r in results),
        "files_written": sum(r.written for r in results),
        "files_failed": sum(r.failed for r in results),
        "applied": report.applied,
        "findings": {status.value: statuses.get(status.value, 0) for status in Status},
        "notes": (
            ["randomness was rewritten: the numbers drawn differ from NumPy's, their distributions do not"]
            if rewritten_randomness
            else []
        ),
    }


def summary_line(report: RunReport) -> str:
    summary = summarize(report)
    counts = summary["findings"]
    verb = "changed" if summary["applied"] else "would change"
    fixed = f"{counts['fixed']} fixed"
    if counts["fixed"] and not report.show_fixes:
        fixed += " (--show-fixes lists them)"
    text = (
        f"{plural(summary['files_scanned'], 'file')} scanned, {summary['files_changed']} {verb}, "
        f"{summary['files_failed']} failed; findings: {fixed}, "
        f"{counts['unsafe']} unsafe (use --unsafe), {counts['not fixed']} not fixed"
    )
    if report.float32:
        text += "; precision: float32 chosen with --precision float32 (results may differ from float64 NumPy)"
    for note in summary["notes"]:
        text += f"; {note}"
    return text


def statistics(report: RunReport) -> list[dict]:
    """One row per rule and outcome, most frequent first (``--statistics``)."""
    counts = Counter((f.code, f.status.value) for f in report.findings(everything=True))
    return [
        {"code": code, "name": rule_info(code)["name"], "status": status, "count": count}
        for (code, status), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def exit_status(report: RunReport, *, exit_zero: bool = False, exit_non_zero_on_fix: bool = False) -> int:
    if any(result.failed for result in report.results):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    if report.findings():
        return EXIT_FINDINGS
    if report.pending():
        return EXIT_FINDINGS
    if exit_non_zero_on_fix and any(result.written for result in report.results):
        return EXIT_FINDINGS
    return EXIT_OK

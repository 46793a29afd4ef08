"""Turning file results into what the user reads: diffs, findings, a summary, or JSON."""

from __future__ import annotations

import difflib
import json
from collections import Counter

import click

from jaxify import __version__
from jaxify.engine import FileResult
from jaxify.findings import Status
from jaxify.notebook import is_notebook, notebook_diff


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


def colour_diff(diff: str) -> str:
    styled = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            styled.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            styled.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            styled.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            styled.append(click.style(line, fg="red"))
        else:
            styled.append(line)
    return "".join(styled)


def summarize(results: list[FileResult], applied: bool) -> dict:
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
        "applied": applied,
        "findings": {status.value: statuses.get(status.value, 0) for status in Status},
        "notes": (
            ["randomness was rewritten: the numbers drawn differ from NumPy's, their distributions do not"]
            if rewritten_randomness
            else []
        ),
    }


def summary_line(summary: dict, precision: str) -> str:
    counts = summary["findings"]
    verb = "changed" if summary["applied"] else "would change"
    text = (
        f"{summary['files_scanned']} files scanned, {summary['files_changed']} {verb}, "
        f"{summary['files_failed']} failed; findings: {counts['fixed']} fixed, "
        f"{counts['unsafe']} unsafe (use --unsafe), {counts['not fixed']} not fixed"
    )
    if precision == "float32":
        text += "; precision: float32 chosen with --precision float32 (results may differ from float64 NumPy)"
    for note in summary["notes"]:
        text += f"; {note}"
    return text


def to_json(results: list[FileResult], applied: bool, with_diff: bool) -> str:
    files = []
    for result in results:
        entry = {"path": result.path, "changed": result.changed, "failed": result.failed, "written": result.written}
        if with_diff:
            entry["diff"] = unified_diff(result)
        files.append(entry)
    findings = [finding.to_json() for result in results for finding in result.findings]
    document = {
        "version": __version__,
        "files": files,
        "findings": findings,
        "summary": summarize(results, applied),
    }
    return json.dumps(document, indent=2)

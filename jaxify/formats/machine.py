"""JSON and JSON lines: every finding with its rule, end position, applicability and fix edits."""

from __future__ import annotations

import json

from jaxify import __version__
from jaxify.findings import Finding
from jaxify.report import Edit, RunReport, applicability, edits_for, file_edits, rule_info, summarize, unified_diff


def finding_to_json(finding: Finding, edits: list[Edit], written: bool) -> dict:
    """``fix`` holds the edits of a fix made in the output (``applied`` once written to the file)."""
    data = finding.to_json()
    data["end_line"] = finding.end_line or finding.line
    data["end_col"] = finding.end_col or finding.col
    data["rule"] = rule_info(finding.code)
    data["applicability"] = applicability(finding)
    own = edits_for(finding, edits)
    data["fix"] = (
        {"applicability": data["applicability"], "applied": written, "edits": [edit.to_json() for edit in own]}
        if own
        else None
    )
    return data


def _findings_json(report: RunReport) -> list[dict]:
    edits = {result.path: file_edits(result) for result in report.results}
    written = {result.path for result in report.results if result.written}
    return [
        finding_to_json(finding, edits.get(finding.path, []), finding.path in written)
        for finding in report.findings(everything=True)
    ]


def to_json(report: RunReport) -> str:
    files = [
        {
            "path": result.path,
            "changed": result.changed,
            "failed": result.failed,
            "written": result.written,
        }
        | ({"diff": unified_diff(result)} if report.with_diff else {})
        for result in report.results
    ]
    document = {
        "version": __version__,
        "files": files,
        "findings": _findings_json(report),
        "summary": summarize(report),
    }
    return json.dumps(document, indent=2) + "\n"


def to_json_lines(report: RunReport) -> str:
    return "".join(json.dumps(finding) + "\n" for finding in _findings_json(report))

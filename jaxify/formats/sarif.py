"""SARIF 2.1.0 (GitHub code scanning, IDEs): rule metadata, every finding, fixes as replacements."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from jaxify import __version__
from jaxify.findings import Finding, Status
from jaxify.report import Edit, RunReport, applicability, edits_for, file_edits, rule_info

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def uri(path: str) -> str:
    """A relative path stays relative (GitHub resolves it against the checkout); an absolute one is a file URI."""
    location = Path(path)
    return location.as_uri() if location.is_absolute() else quote(location.as_posix())


def level(finding: Finding) -> str:
    if finding.code.startswith("JX0"):
        return "error"
    return "note" if finding.status is Status.FIXED else "warning"


def _region(finding: Finding) -> dict:
    region = {"startLine": finding.line, "startColumn": finding.col}
    if finding.end_line:
        region |= {"endLine": finding.end_line, "endColumn": finding.end_col}
    return region


def _fix(finding: Finding, edits: list[Edit]) -> list[dict]:
    own = edits_for(finding, edits)
    if not own:
        return []
    replacements = [
        {"deletedRegion": {"charOffset": edit.offset, "charLength": edit.length}, "insertedContent": {"text": edit.content}}
        for edit in own
    ]
    return [{
        "description": {"text": f"{finding.code}: {finding.message}"},
        "artifactChanges": [{"artifactLocation": {"uri": uri(finding.path)}, "replacements": replacements}],
    }]


def _rule_descriptor(code: str) -> dict:
    info = rule_info(code)
    return {
        "id": code,
        "name": info["name"],
        "shortDescription": {"text": info["summary"] or info["name"]},
        "help": {"text": f"`{info['documentation']}` prints what this rule rewrites, why, and when it refuses."},
        "properties": {"safety": info["safety"], "family": info["family"]},
    }


def to_sarif(report: RunReport) -> str:
    from jaxify.rules import all_rules

    codes = [rule.code for rule in all_rules()]
    index = {code: position for position, code in enumerate(codes)}
    edits = {result.path: file_edits(result) for result in report.results}
    results = []
    for finding in report.findings(everything=True):
        if finding.code not in index:
            index[finding.code] = len(codes)
            codes.append(finding.code)
        entry = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": level(finding),
            "message": {"text": f"{finding.message} [{finding.status_text()}]"
                                + (f" Help: {finding.hint}" if finding.hint else "")},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": uri(finding.path)}, "region": _region(finding)}
            }],
            "properties": {"status": finding.status.value, "applicability": applicability(finding)},
        }
        fixes = _fix(finding, edits.get(finding.path, []))
        if fixes:
            entry["fixes"] = fixes
        results.append(entry)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "jaxify",
                "version": __version__,
                "rules": [_rule_descriptor(code) for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"

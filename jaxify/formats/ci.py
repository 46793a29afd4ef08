"""Formats for review tools: GitHub workflow annotations, GitLab code quality, JUnit XML, and a
markdown summary for a pull-request comment. Each lists the findings that need a decision (and
the fixes too with ``--show-fixes``)."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ElementTree
from collections import Counter

from jaxify.findings import Finding, Status
from jaxify.report import RunReport, needs_person, rule_info, summary_line


WOULD_CHANGE = "would be rewritten: run jaxify --apply, or jaxify on it to see the diff"


def _text(finding: Finding) -> str:
    """The finding as one message: what, outcome, and what the user can do."""
    text = f"{finding.message} [{finding.status_text()}]"
    return f"{text}\nhelp: {finding.hint}" if finding.hint else text


# -- GitHub --------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_level(finding: Finding) -> str:
    if finding.code.startswith("JX0"):
        return "error"
    return "notice" if finding.status is Status.FIXED else "warning"


def to_github(report: RunReport) -> str:
    """``::warning file=F,line=L,col=C,endLine=E,title=CODE::message`` per finding, as GitHub reads them."""
    lines = []
    for finding in report.shown_findings():
        properties = f"file={_escape_property(finding.path)},line={finding.line},col={finding.col}"
        if finding.end_line:
            properties += f",endLine={finding.end_line}"
        properties += f",title={_escape_property(finding.code)}"
        lines.append(f"::{github_level(finding)} {properties}::{_escape_data(_text(finding))}\n")
    for result in report.pending():  # what makes --check fail, even when no finding needs a person
        lines.append(f"::error file={_escape_property(result.path)},title=jaxify::{_escape_data(WOULD_CHANGE)}\n")
    return "".join(lines)


# -- GitLab --------------------------------------------------------------------------------------


def gitlab_severity(finding: Finding) -> str:
    if finding.code.startswith("JX0"):
        return "major"
    return "info" if finding.status is Status.FIXED else "minor"


def to_gitlab(report: RunReport) -> str:
    """GitLab's code quality report. A fingerprint ignores the line, so a finding keeps its
    identity when code above it moves; identical findings in one file are told apart by order."""
    seen: Counter = Counter()
    issues = []
    for finding in report.shown_findings():
        identity = (finding.path, finding.code, finding.message)
        seen[identity] += 1
        fingerprint = hashlib.sha256(repr((*identity, seen[identity])).encode()).hexdigest()
        issues.append({
            "description": f"{finding.code} {_text(finding)}",
            "check_name": finding.code,
            "fingerprint": fingerprint,
            "severity": gitlab_severity(finding),
            "location": {"path": finding.path,
                         "lines": {"begin": finding.line, "end": max(finding.line, finding.end_line)}},
        })
    for result in report.pending():
        issues.append({
            "description": f"jaxify: {WOULD_CHANGE}",
            "check_name": "jaxify-would-change",
            "fingerprint": hashlib.sha256(repr((result.path, WOULD_CHANGE)).encode()).hexdigest(),
            "severity": "minor",
            "location": {"path": result.path, "lines": {"begin": 1}},
        })
    return json.dumps(issues, indent=2) + "\n"


# -- JUnit ---------------------------------------------------------------------------------------


def to_junit(report: RunReport) -> str:
    """One test suite per file processed; each finding that needs a person is a failing test case."""
    shown = report.shown_findings()
    suites = ElementTree.Element("testsuites", name="jaxify")
    total = failures = 0
    for result in report.results:
        if result.skipped:
            continue
        own = [finding for finding in shown if finding.path == result.path]
        suite = ElementTree.SubElement(suites, "testsuite", name=result.path)
        cases = 0
        for finding in own:
            case = ElementTree.SubElement(
                suite, "testcase", name=f"{finding.code} at line {finding.line}, column {finding.col}",
                classname=result.path, file=result.path, line=str(finding.line),
            )
            cases += 1
            if needs_person(finding):
                failure = ElementTree.SubElement(case, "failure", message=f"{finding.code} {finding.message}",
                                                 type=finding.code)
                failure.text = f"{finding.path}:{finding.line}:{finding.col} {finding.code} {_text(finding)}"
                failures += 1
        failed = sum(needs_person(f) for f in own)
        if result in report.pending():
            case = ElementTree.SubElement(suite, "testcase", name="jaxify --check", classname=result.path,
                                          file=result.path)
            ElementTree.SubElement(case, "failure", message=WOULD_CHANGE, type="check").text = WOULD_CHANGE
            cases, failed, failures = cases + 1, failed + 1, failures + 1
        if not cases:
            ElementTree.SubElement(suite, "testcase", name="nothing needs a decision", classname=result.path,
                                   file=result.path)
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(failed))
        total += cases
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# -- markdown ------------------------------------------------------------------------------------

MARKDOWN_LIMIT = 200  # a GitHub comment holds 65,536 characters; past this, the list is cut short


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(report: RunReport) -> str:
    """A pull-request comment: the summary, a table by rule, then the findings that need a person."""
    every = report.findings(everything=True)
    lines = ["## jaxify", "", summary_line(report), ""]
    if every:
        counts = Counter((f.code, f.status.value) for f in every)
        lines += ["| Rule | Name | Fixed | Unsafe | Not fixed |", "| --- | --- | ---: | ---: | ---: |"]
        for code in sorted({f.code for f in every}):
            cells = [str(counts[(code, status.value)]) for status in Status]
            lines.append(f"| {code} | {_cell(rule_info(code)['name'])} | " + " | ".join(cells) + " |")
        lines.append("")
    shown = report.shown_findings()
    if shown:
        title = "Findings" if report.show_fixes else "Findings that need a person"
        lines += [f"### {title} ({len(shown)})", "", "| Location | Rule | Finding |", "| --- | --- | --- |"]
        for finding in shown[:MARKDOWN_LIMIT]:
            location = f"`{finding.path}:{finding.line}:{finding.col}`"
            lines.append(f"| {location} | {finding.code} | {_cell(_text(finding))} |")
        if len(shown) > MARKDOWN_LIMIT:
            lines += ["", f"... and {len(shown) - MARKDOWN_LIMIT} more (run jaxify locally for the full list)."]
    else:
        lines.append("Nothing needs a person.")
    return "\n".join(lines) + "\n"

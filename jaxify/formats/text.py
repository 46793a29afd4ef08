"""The text a person reads: each changed file's diff as the file finishes, then the findings that
need a decision sorted by file and line (fixes too with ``--show-fixes``), then one summary line.

Colour goes through click, and whether to colour follows ``--color``, then the conventions of
https://no-color.org (``NO_COLOR``) and ``FORCE_COLOR``, then whether the output is a terminal.
"""

from __future__ import annotations

import os
from typing import IO

import click

from jaxify.results import FileResult
from jaxify.findings import Finding, Status
from jaxify.report import RunReport, statistics, summary_line, unified_diff

COLOR_CHOICES = ("auto", "always", "never")


def use_colour(choice: str, stream: IO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


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


STATUS_COLOURS = {Status.FIXED: "green", Status.UNSAFE: "yellow", Status.NOT_FIXED: "red"}


def format_finding(finding: Finding, colour: bool) -> str:
    """``path:line:col CODE message [outcome]`` and a ``help:`` line, styled when colour is on."""
    if not colour:
        return finding.format()
    where = click.style(f"{finding.path}:{finding.line}:{finding.col}", bold=True)
    code = click.style(finding.code, fg="red" if finding.code.startswith("JX0") else "magenta", bold=True)
    outcome = click.style(f"[{finding.status_text()}]", fg=STATUS_COLOURS[finding.status])
    text = f"{where} {code} {finding.message} {outcome}"
    if finding.hint:
        text += f"\n    {click.style('help:', fg='cyan')} {finding.hint}"
    return text


class TextView:
    """Prints a run for a person, streaming what it can while files finish."""

    def __init__(self, *, colour: bool, diff: bool, quiet: bool, verbose: bool, applied: bool):
        self.colour, self.diff, self.quiet, self.verbose, self.applied = colour, diff, quiet, verbose, applied

    def file_done(self, result: FileResult) -> None:
        if self.verbose:
            state = "skipped" if result.skipped else ("changed" if result.changed else "unchanged")
            click.echo(f"{result.path}: {state}", err=True)
        if self.diff and not self.quiet and result.changed and not self.applied:
            text = unified_diff(result)
            click.echo(colour_diff(text) if self.colour else text, nl=False, color=self.colour)

    def finish(self, report: RunReport) -> None:
        for finding in report.shown_findings():
            click.echo(format_finding(finding, self.colour), color=self.colour)
        click.echo(summary_line(report), color=self.colour)


def statistics_table(report: RunReport) -> str:
    """``--statistics``: how often each rule fired, and with which outcome."""
    rows = statistics(report)
    if not rows:
        return "no findings\n"
    width = max(len(str(row["count"])) for row in rows)
    return "".join(
        f"{row['count']:>{width}}  {row['code']}  {row['status']:<9}  {row['name']}\n" for row in rows
    )

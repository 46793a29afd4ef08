"""What ``jaxify verify`` does once click has parsed its flags (the command is declared in cli.py)."""

from __future__ import annotations

from pathlib import Path

import click

from jaxify.config import Options
from jaxify.verify.report import to_json, to_markdown, to_text, write_plot
from jaxify.verify.session import VerifySettings, verify_paths

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def run_verify(paths: list[Path], options: Options, settings: VerifySettings, output_format: str,
               plot: Path | None) -> int:
    """Verify, print the report, and return the exit code: 1 when any function failed."""
    reports = verify_paths(paths, options, settings)
    render = {"text": to_text, "json": to_json, "markdown": to_markdown}[output_format]
    click.echo(render(reports, options.precision), nl=False)
    if plot is not None:
        try:
            write_plot(reports, str(plot))
        except RuntimeError as error:
            click.echo(f"jaxify verify: {error}", err=True)
            return EXIT_ERROR
    failed = any(result["evidence"] == "failed" for report in reports for result in report.functions)
    return EXIT_FAILED if failed or any(report.findings for report in reports) else EXIT_OK

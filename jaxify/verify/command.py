"""What ``jaxify verify`` does once click has parsed its flags (the command is declared in cli.py).

Exit codes: 0 every changed function verified or proven; 1 a function failed, or a module could
not be verified; 2 a usage error, including an optional extra that is not installed: that is
checked before anything runs, so the exit code of a finished run always means what it says.
"""

from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from jaxify.config import Options
from jaxify.notebook import NotebookError, cell_locator, is_notebook
from jaxify.verify.report import summary, summary_line, to_json, to_markdown, to_text, where
from jaxify.progress import FileProgress, show_progress
from jaxify.verify.session import ModuleReport, VerifySettings, verify_paths

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

# option -> (module it imports, extra that installs it)
OPTIONAL_EXTRAS = {"--plot": ("matplotlib", "plot")}


def parse_sizes(text: str) -> tuple[int, ...]:
    """``--sizes 10,100,1000`` as a tuple of positive lengths."""
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError as error:
        raise click.BadParameter("a comma-separated list of lengths, such as 10,100,1000", param_hint="--sizes") \
            from error
    if any(size < 1 for size in sizes):
        raise click.BadParameter("lengths must be 1 or more", param_hint="--sizes")
    return sizes


def missing_extras(options_given: set[str]) -> list[str]:
    """One message per requested option whose optional dependency is not installed."""
    return [f"{option} needs {module}, which is not installed: pip install 'jaxify-refactor[{extra}]'"
            for option, (module, extra) in OPTIONAL_EXTRAS.items()
            if option in options_given and importlib.util.find_spec(module) is None]


def run_verify(paths: list[Path], options: Options, settings: VerifySettings, output_format: str,
               plot: Path | None, html: Path | None = None, jobs: int = 1, quiet: bool = False) -> int:
    """Verify, print the report, write the requested files, and return the exit code."""
    missing = missing_extras({"--plot"} if plot is not None else set())
    if missing:
        for message in missing:
            click.echo(f"jaxify verify: {message}", err=True)
        return EXIT_ERROR
    reports = verify_paths(paths, options, settings, map_files=_parallel_map(jobs, show_progress(quiet)))
    place_in_cells(reports)
    if quiet and output_format == "text":
        click.echo(_quiet_text(reports, options.precision), nl=False)
    else:
        render = {"text": to_text, "json": to_json, "markdown": to_markdown}[output_format]
        click.echo(render(reports, options.precision), nl=False)
    if html is not None:
        from jaxify.verify.html_report import to_html

        html.write_text(to_html(reports, options.precision), encoding="utf-8")
    if plot is not None:
        from jaxify.verify.plot import write_plot

        write_plot(reports, str(plot))
    failed = any(result["evidence"] == "failed" for report in reports for result in report.functions)
    return EXIT_FAILED if failed or any(report.findings for report in reports) else EXIT_OK


def _parallel_map(jobs: int, show: bool, console=None):
    """Verify up to ``jobs`` modules at once; each runs in its own worker process with its own
    timeout and memory cap, so threads here only wait on them. Results keep the order of the files."""

    def map_files(verify_file, files):
        with FileProgress(len(files), show, console, label="verify", unit="modules") as progress:

            def tracked(path):
                try:
                    return verify_file(path)
                finally:
                    progress.advance()

            if jobs <= 1 or len(files) <= 1:
                return [tracked(path) for path in files]
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                return list(pool.map(tracked, files))

    return map_files


def place_in_cells(reports: list[ModuleReport]) -> None:
    """Notebook lines are lines of the joined code cells: give them as cell and line in the cell."""
    for report in reports:
        if not is_notebook(report.path):
            continue
        try:
            locate = cell_locator(Path(report.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, NotebookError):
            continue
        items = [*report.findings, *report.functions]
        items += [finding for result in report.functions for finding in result.get("findings", [])]
        for item in items:
            if isinstance(item.get("line"), int):
                item["cell"], item["line"] = locate(item["line"])


def _quiet_text(reports: list[ModuleReport], precision: str) -> str:
    """``-q``: what failed, and the summary line."""
    lines = []
    for report in reports:
        lines += [f"{where(report.path, finding)} {finding['message']}" for finding in report.findings]
        for result in report.functions:
            if result["evidence"] == "failed":
                messages = [finding["message"] for finding in result.get("findings", [])] or ["failed"]
                lines += [f"{where(report.path, result)} {result['function']}: {message}" for message in messages]
    lines.append(summary_line(summary(reports, precision)))
    return "\n".join(lines) + "\n"

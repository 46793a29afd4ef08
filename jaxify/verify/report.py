"""The verify report as text, JSON and markdown; the HTML page is in html_report.py, the PNG in plot.py.

Text and markdown carry the same content: the table, every finding with its help line, every
note, and each failure's minimal input ready to paste (in a collapsible block in markdown, for a
pull-request comment).
"""

from __future__ import annotations

import json
import statistics
from pathlib import PurePath

from jaxify import __version__
from jaxify.verify.session import ModuleReport
from jaxify.verify.sizes import crossover

COLUMNS = ("function", "evidence", "equivalent", "inputs", "max abs err", "max rel err", "compile ms",
           "original ms (IQR)", "jitted ms (IQR)", "speedup")
EVIDENCE_LEVELS = ("proven", "verified", "unverified", "failed")


def cell(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def timing(median, spread) -> str:
    """Median milliseconds, with the interquartile range when there is one."""
    if median is None:
        return "-"
    return f"{median:.3g}" + (f" ±{spread:.2g}" if spread else "")


def speedup_text(speedup) -> str:
    return "-" if speedup is None else f"{speedup:.2f}x"


def where(path: str, item: dict) -> str:
    """``path:line``, or ``nb.ipynb:cell 3:2`` for a notebook."""
    if item.get("cell"):
        return f"{path}:cell {item['cell']}:{item.get('line', 1)}"
    return f"{path}:{item.get('line', 1)}"


def errors(result: dict) -> tuple[str, str]:
    """Max absolute and relative error; ``-`` when no input was compared (0 would claim exactness)."""
    if not result.get("inputs"):
        return "-", "-"
    return cell(result.get("max_abs_err")), cell(result.get("max_rel_err"))


def _row(path: str, result: dict) -> list[str]:
    return [
        f"{where(path, result)} {result['function']}", result["evidence"], cell(result.get("equivalent")),
        f"{result.get('inputs', 0)} {result.get('input_source') or ''}".strip(), *errors(result),
        cell(result.get("compile_ms")),
        timing(result.get("original_ms"), result.get("original_spread_ms")),
        timing(result.get("jitted_ms"), result.get("jitted_spread_ms")), speedup_text(result.get("speedup")),
    ]


def short_module_names(paths: list[str]) -> dict[str, str]:
    """The shortest trailing part of each path that tells it apart from the others.

    ``a/utils.py`` and ``b/utils.py`` stay ``a/utils.py`` and ``b/utils.py``; a lone
    ``src/pkg/solver.py`` becomes ``solver.py``. Function labels in charts use it, so two
    functions of the same name in different modules never share a row.
    """
    unique = sorted(set(paths))
    parts = {path: PurePath(path).parts for path in unique}
    names = {}
    for path in unique:
        for depth in range(1, len(parts[path]) + 1):
            tail = parts[path][-depth:]
            if all(parts[other][-depth:] != tail for other in unique if other != path):
                break
        names[path] = PurePath(*tail).as_posix() if parts[path] else path
    return names


def function_labels(reports: list[ModuleReport]) -> dict[tuple[str, int], str]:
    """``module.py:function`` for every (report path, index of the function in it)."""
    short = short_module_names([report.path for report in reports])
    return {(report.path, index): f"{short[report.path]}:{result['function']}"
            for report in reports for index, result in enumerate(report.functions)}


def summary(reports: list[ModuleReport], precision: str = "keep") -> dict:
    results = [r for report in reports for r in report.functions]
    evidence = {level: sum(r["evidence"] == level for r in results) for level in EVIDENCE_LEVELS}
    speedups = [r["speedup"] for r in results if r.get("speedup")]
    devices = sorted({report.device for report in reports if report.device})
    return {
        "modules": len(reports),
        "modules_changed": sum(report.changed for report in reports),
        "functions": len(results),
        "evidence": evidence,
        "median_speedup": statistics.median(speedups) if speedups else None,
        "device": ", ".join(devices) or None,
        "tolerance": "float32 (--precision float32)" if precision == "float32" else "float64",
    }


def findings(reports: list[ModuleReport]):
    """Every finding as (path, finding); a function's findings carry its name."""
    for report in reports:
        for finding in report.findings:
            yield report.path, finding
        for result in report.functions:
            for finding in result.get("findings", []):
                yield report.path, {**finding, "function": result["function"]}


def sizes_text(result: dict) -> str | None:
    """``verify --sizes``: the speedup at each input length and where JAX starts to win."""
    rows = result.get("sizes")
    if not rows:
        return None
    timed = [f"{row['size']}: {row['speedup']:.2f}x" for row in rows if row.get("speedup")]
    stopped = next((row for row in rows if row.get("error")), None)
    if not timed:
        return f"speedup by input length: not measured ({stopped['error'] if stopped else 'no timing'})"
    start = crossover(rows)
    text = "speedup by input length: " + ", ".join(timed)
    text += f"; JAX faster from length {start}" if start else "; JAX not faster at any length tried"
    if stopped:
        text += f"; stopped at length {stopped['size']}: {stopped['error']}"
    return text


def _finding_lines(path: str, finding: dict) -> list[str]:
    who = f" {finding['function']}:" if "function" in finding else ""
    lines = [f"{where(path, finding)}{who} {finding['message']}"]
    if finding.get("hint"):
        lines.append(f"    help: {finding['hint']}")
    return lines


def to_text(reports: list[ModuleReport], precision: str = "keep") -> str:
    rows = [list(COLUMNS)] + [_row(r.path, f) for r in reports for f in r.functions]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    if len(rows) == 1:
        lines = ["no rewritten function to verify"]
    for path, finding in findings(reports):
        lines += _finding_lines(path, finding)
    for report in reports:
        for result in report.functions:
            if result.get("counterexample"):
                lines.append(f"{where(report.path, result)} {result['function']}: minimal failing input, "
                             f"ready to paste:\n" + _indent(result["counterexample"]))
            for note in result.get("notes", []):
                lines.append(f"{where(report.path, result)} {result['function']}: note: {note}")
            if sizes_text(result):
                lines.append(f"{where(report.path, result)} {result['function']}: {sizes_text(result)}")
    lines.append(summary_line(summary(reports, precision)))
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def summary_line(data: dict) -> str:
    e = data["evidence"]
    return (f"{data['functions']} functions in {data['modules_changed']} changed modules: {e['proven']} proven, "
            f"{e['verified']} verified, {e['unverified']} unverified, {e['failed']} failed; median speedup "
            f"{speedup_text(data['median_speedup'])}; device {data['device'] or 'not started'}; "
            f"tolerances {data['tolerance']}")


def to_json(reports: list[ModuleReport], precision: str = "keep") -> str:
    return json.dumps({
        "version": __version__,
        "summary": summary(reports, precision),
        "modules": [{"path": r.path, "changed": r.changed, "device": r.device, "findings": r.findings,
                     "functions": r.functions} for r in reports],
    }, indent=2, default=str)


def _markdown_text(text: str) -> str:
    """A message as markdown text: no HTML a PR comment would render."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_cell(text: str) -> str:
    return _markdown_text(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(reports: list[ModuleReport], precision: str = "keep") -> str:
    """For a pull-request comment: the text report's content, long parts folded away."""
    data = summary(reports, precision)
    lines = ["### jaxify verify", "", summary_line(data), "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for report in reports:
        for result in report.functions:
            cells = [_markdown_cell(text) for text in _row(report.path, result)]
            cells[0] = f"`{cells[0]}`"
            lines.append("| " + " | ".join(cells) + " |")
    found = list(findings(reports))
    if found:
        lines += ["", "**Findings**", ""]
        for path, finding in found:
            first, *help_lines = _finding_lines(path, finding)
            location, _, message = first.partition(" ")
            lines.append(f"- `{location}` {_markdown_text(message)}")
            lines += [f"  - help: {_markdown_text(line.strip().removeprefix('help: '))}" for line in help_lines]
    notes = [(report.path, result, note) for report in reports for result in report.functions
             for note in [*result.get("notes", []), *filter(None, [sizes_text(result)])]]
    if notes:
        lines += ["", "**Notes**", ""]
        lines += [f"- `{where(path, result)} {result['function']}`: {_markdown_text(note)}"
                  for path, result, note in notes]
    for report in reports:
        for result in report.functions:
            if result.get("counterexample"):
                lines += ["", f"<details><summary><code>{where(report.path, result)} {result['function']}</code>: "
                              "minimal failing input, ready to paste</summary>", "", "```python",
                          result["counterexample"].rstrip("\n"), "```", "", "</details>"]
    return "\n".join(lines) + "\n"

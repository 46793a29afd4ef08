"""The verify report: a text table per function, JSON with the same data, markdown, a PNG plot."""

from __future__ import annotations

import json
import statistics

from jaxify import __version__
from jaxify.verify.session import ModuleReport

COLUMNS = ("function", "evidence", "equivalent", "inputs", "max abs err", "max rel err", "compile ms",
           "original ms (IQR)", "jitted ms (IQR)", "speedup")


def _cell(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _timing(median, spread) -> str:
    """Median milliseconds, with the interquartile range when there is one."""
    if median is None:
        return "-"
    return f"{median:.3g}" + (f" ±{spread:.2g}" if spread else "")


def _row(path: str, result: dict) -> list[str]:
    speedup = result.get("speedup")
    return [
        f"{path}:{result['line']} {result['function']}", result["evidence"], _cell(result.get("equivalent")),
        f"{result.get('inputs', 0)} {result.get('input_source') or ''}".strip(), _cell(result.get("max_abs_err")),
        _cell(result.get("max_rel_err")), _cell(result.get("compile_ms")),
        _timing(result.get("original_ms"), result.get("original_spread_ms")),
        _timing(result.get("jitted_ms"), result.get("jitted_spread_ms")), "-" if speedup is None else f"{speedup:.2f}x",
    ]


def summary(reports: list[ModuleReport], precision: str = "keep") -> dict:
    results = [r for report in reports for r in report.functions]
    evidence = {level: sum(r["evidence"] == level for r in results)
                for level in ("proven", "verified", "unverified", "failed")}
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


def _findings(reports: list[ModuleReport]):
    for report in reports:
        for finding in report.findings:
            yield report.path, finding
        for result in report.functions:
            for finding in result.get("findings", []):
                yield report.path, {**finding, "function": result["function"]}


def to_text(reports: list[ModuleReport], precision: str = "keep") -> str:
    rows = [list(COLUMNS)] + [_row(r.path, f) for r in reports for f in r.functions]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    if len(rows) == 1:
        lines = ["no rewritten function to verify"]
    for path, finding in _findings(reports):
        where = f"{path}:{finding.get('line', 1)}"
        who = f" {finding['function']}:" if "function" in finding else ""
        lines.append(f"{where}{who} {finding['message']}")
        if finding.get("hint"):
            lines.append(f"    help: {finding['hint']}")
    for report in reports:
        for result in report.functions:
            if result.get("counterexample"):
                lines.append(f"{report.path}:{result['line']} {result['function']}: minimal failing input, "
                             f"ready to paste:\n" + _indent(result["counterexample"]))
            for note in result.get("notes", []):
                lines.append(f"{report.path}:{result['line']} {result['function']}: note: {note}")
    lines.append(_summary_line(summary(reports, precision)))
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _summary_line(data: dict) -> str:
    e = data["evidence"]
    speed = "-" if data["median_speedup"] is None else f"{data['median_speedup']:.2f}x"
    return (f"{data['functions']} functions in {data['modules_changed']} changed modules: {e['proven']} proven, "
            f"{e['verified']} verified, {e['unverified']} unverified, {e['failed']} failed; median speedup "
            f"{speed}; device {data['device'] or 'not started'}; tolerances {data['tolerance']}")


def to_json(reports: list[ModuleReport], precision: str = "keep") -> str:
    return json.dumps({
        "version": __version__,
        "summary": summary(reports, precision),
        "modules": [{"path": r.path, "changed": r.changed, "device": r.device, "findings": r.findings,
                     "functions": r.functions} for r in reports],
    }, indent=2, default=str)


def to_markdown(reports: list[ModuleReport], precision: str = "keep") -> str:
    data = summary(reports, precision)
    lines = ["### jaxify verify", "", _summary_line(data), "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for report in reports:
        for result in report.functions:
            cells = [c.replace("|", "\\|") for c in _row(report.path, result)]
            cells[0] = f"`{cells[0]}`"
            lines.append("| " + " | ".join(cells) + " |")
    findings = list(_findings(reports))
    if findings:
        lines += ["", "**Findings**", ""]
        lines += [f"- `{path}:{f.get('line', 1)}` {f['message']}" for path, f in findings]
    return "\n".join(lines) + "\n"


def write_plot(reports: list[ModuleReport], target: str) -> None:
    """A bar chart of speedups; matplotlib is the optional ``plot`` extra."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise RuntimeError("--plot needs matplotlib: pip install 'jaxify-refactor[plot]'") from error
    results = [(f"{r['function']}", r["speedup"]) for report in reports for r in report.functions if r.get("speedup")]
    figure, axes = plt.subplots(figsize=(8, max(2.0, 0.3 * len(results) + 1)))
    names = [name for name, _ in results]
    axes.barh(names, [value for _, value in results], color=["tab:green" if v >= 1 else "tab:red" for _, v in results])
    axes.axvline(1.0, color="black", linewidth=0.8)
    axes.set_xscale("log")
    axes.set_xlabel(f"speedup over the original (jitted, {summary(reports)['device'] or 'device unknown'})")
    figure.tight_layout()
    figure.savefig(target, dpi=120)
    plt.close(figure)

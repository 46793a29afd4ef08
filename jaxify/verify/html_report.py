"""The verify report as one self-contained HTML page (``jaxify verify PATH --html report.html``).

Everything is inline: the style sheet and the charts (SVG, see charts.py). The page works offline
and can be attached to a CI run or mailed. It holds the summary, the charts, and a table per
module with failed and unverified functions first, each failure followed by its findings, their
help lines and the minimal failing input ready to paste.
"""

from __future__ import annotations

from html import escape

from jaxify import __version__
from jaxify.verify.charts import SizeSeries, SpeedupBar, TimingPoint, size_chart, speedup_chart, timing_chart
from jaxify.verify.report import (
    EVIDENCE_LEVELS,
    cell,
    errors,
    function_labels,
    sizes_text,
    speedup_text,
    summary,
    timing,
)
from jaxify.verify.sizes import crossover
from jaxify.verify.session import ModuleReport

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1180px;color:#212121;
padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #e0e0e0}
h3{font-family:ui-monospace,monospace;font-size:1rem;margin-top:1.6rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #e0e0e0;border-radius:6px;padding:.6rem 1rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.card span{color:#616161;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.6rem 0}
th,td{border-bottom:1px solid #eeeeee;padding:.3rem .5rem;text-align:right;white-space:nowrap}
th{background:#fafafa}th:first-child,td:first-child,td.evidence{text-align:left}
td:first-child{font-family:ui-monospace,monospace}
.failed{color:#c62828;font-weight:600}.unverified{color:#757575}.verified,.proven{color:#2e7d32}
.slower{color:#c62828}.faster{color:#2e7d32}
.failure{border-left:4px solid #c62828;background:#fff8f8;padding:.4rem .9rem;margin:.6rem 0}
.failure p{margin:.3rem 0}.help{color:#455a64}.note{color:#616161;font-size:.85rem;margin:.2rem 0}
pre{background:#263238;color:#eceff1;padding:.7rem;border-radius:4px;font-size:.8rem;white-space:pre-wrap;
word-break:break-all}
.chart{overflow-x:auto}
"""

ORDER = {"failed": 0, "unverified": 1, "verified": 2, "proven": 3}
TABLE = ("function", "evidence", "max abs err", "max rel err", "inputs", "compile ms", "original ms",
         "jitted ms", "speedup")
REFERENCE_COLUMN = "reference ms"  # the hand-written JAX of a benchmark, when one was timed


def to_html(reports: list[ModuleReport], precision: str = "keep") -> str:
    data = summary(reports, precision)
    labels = function_labels(reports)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>jaxify verify report</title>", f"<style>{STYLE}</style></head><body>",
        "<h1>jaxify verify</h1>",
        f"<p>Original and rewritten code run side by side on the same inputs, the rewrite under "
        f"<code>jax.jit</code>; jaxify {escape(__version__)}.</p>",
        _summary_cards(data), *_charts(reports, labels), "<h2>Modules</h2>",
    ]
    if not reports:
        parts.append("<p>No rewritten function to verify.</p>")
    for report in reports:
        parts += _module(report)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _summary_cards(data: dict) -> str:
    cards = [(data["functions"], "functions"), *((data["evidence"][level], level) for level in EVIDENCE_LEVELS),
             (speedup_text(data["median_speedup"]), "median speedup"),
             (data["device"] or "not started", "device"), (data["tolerance"], "tolerances")]
    items = "".join(f'<div class="card"><b class="{escape(str(label))}">{escape(str(value))}</b>'
                    f"<span>{escape(label)}</span></div>" for value, label in cards)
    return f'<div class="cards">{items}</div>'


def _charts(reports: list[ModuleReport], labels: dict) -> list[str]:
    rows = [(labels[(report.path, index)], result) for report in reports
            for index, result in enumerate(report.functions)]
    if not rows:
        return []
    bars = [SpeedupBar(label, result.get("speedup"), result["evidence"]) for label, result in rows]
    points = [TimingPoint(label, result["jitted_ms"], result["compile_ms"], result.get("speedup"))
              for label, result in rows if result.get("jitted_ms") and result.get("compile_ms")]
    parts = ["<h2>Speedup per function</h2>",
             "<p>Original time over jitted time, log scale from 1x: bars to the right are faster under JAX, "
             "to the left slower (small inputs often are: dispatch overhead dominates). Functions without "
             "a timing are listed with the reason.</p>", f'<div class="chart">{speedup_chart(bars)}</div>']
    if points:
        parts += ["<h2>Compile time against run time</h2>",
                  "<p>Each point is a function: how long <code>jax.jit</code> took to compile it, against one "
                  "call. A dashed line marks where compiling costs as much as that many calls.</p>",
                  f'<div class="chart">{timing_chart(points)}</div>']
    series = [SizeSeries(label, [(row["size"], row["speedup"]) for row in result["sizes"] if row.get("speedup")],
                         crossover(result["sizes"])) for label, result in rows if result.get("sizes")]
    series = [line for line in series if line.points]
    if series:
        parts += ["<h2>Speedup against input length</h2>",
                  "<p>Each verified function timed again on its input grown to the lengths given with "
                  "<code>--sizes</code> (timing only). JAX pays a cost per call that NumPy does not, so it "
                  "wins only from some length on: the hollow point, where the line crosses 1x for good.</p>",
                  f'<div class="chart">{size_chart(series)}</div>']
    return parts


def _module(report: ModuleReport) -> list[str]:
    parts = [f"<h3>{escape(report.path)}</h3>"]
    for finding in report.findings:
        parts.append(f'<div class="failure"><p>{escape(_place(finding))}: '
                     f"{escape(finding['message'])}</p></div>")
    if not report.functions:
        if not report.findings:
            parts.append(f"<p>{'No changed function to verify.' if report.changed else 'Nothing rewritten.'}</p>")
        return parts
    ordered = sorted(report.functions, key=lambda r: (ORDER.get(r["evidence"], 9), r.get("line", 0)))
    with_reference = any(result.get("reference_ms") is not None for result in ordered)
    columns = (*TABLE[:-1], REFERENCE_COLUMN, TABLE[-1]) if with_reference else TABLE
    parts.append('<div class="chart"><table><thead><tr>' + "".join(f"<th>{escape(name)}</th>" for name in columns)
                 + "</tr></thead><tbody>")
    parts += [_table_row(result, with_reference) for result in ordered]
    parts.append("</tbody></table></div>")
    for result in ordered:
        parts += _details(result)
    return parts


def _table_row(result: dict, with_reference: bool) -> str:
    speedup = result.get("speedup")
    trend = "" if speedup is None else ("faster" if speedup >= 1 else "slower")
    cells = [
        (_name(result), ""), (result["evidence"], f"evidence {result['evidence']}"),
        *((text, "") for text in errors(result)),
        (f"{result.get('inputs', 0)} {result.get('input_source') or ''}".strip(), ""),
        (cell(result.get("compile_ms")), ""),
        (timing(result.get("original_ms"), result.get("original_spread_ms")), ""),
        (timing(result.get("jitted_ms"), result.get("jitted_spread_ms")), ""),
        *([(cell(result.get("reference_ms")), "")] if with_reference else []), (speedup_text(speedup), trend),
    ]
    return "<tr>" + "".join(f'<td class="{css}">{escape(text)}</td>' if css else f"<td>{escape(text)}</td>"
                            for text, css in cells) + "</tr>"


def _place(item: dict) -> str:
    """``line 8``, or ``cell 3, line 2`` in a notebook."""
    return f"cell {item['cell']}, line {item.get('line', 1)}" if item.get("cell") else f"line {item.get('line', 1)}"


def _name(result: dict) -> str:
    return f"{result['function']} ({_place(result)})"


def _details(result: dict) -> list[str]:
    """A failure's findings, help lines and minimal input; any function's notes."""
    name = _name(result)
    parts = []
    if result["evidence"] == "failed" or result.get("findings") or result.get("counterexample"):
        kind = "failed" if result["evidence"] == "failed" else result["evidence"]
        parts.append(f'<div class="failure"><p><b>{escape(name)}</b> ({escape(kind)})</p>')
        for finding in result.get("findings", []):
            parts.append(f"<p>{escape(_place(finding))}: {escape(finding['message'])}</p>")
            if finding.get("hint"):
                parts.append(f'<p class="help">help: {escape(finding["hint"])}</p>')
        if result.get("counterexample"):
            parts.append("<p>Minimal failing input, ready to paste:</p>"
                         f"<pre><code>{escape(result['counterexample'])}</code></pre>")
        parts.append("</div>")
    notes = [f"note: {note}" for note in result.get("notes", [])] + list(filter(None, [sizes_text(result)]))
    parts += [f'<p class="note">{escape(name)}: {escape(note)}</p>' for note in notes]
    return parts

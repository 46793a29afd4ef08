"""``--plot``: the speedup chart as a PNG; matplotlib is the optional ``plot`` extra.

The same chart as the HTML report's: one row per function, labelled with its module, a bar from
1x to the speedup on a log axis (slowdowns to the left), and a row saying why for functions
without a timing.
"""

from __future__ import annotations

from jaxify.verify.charts import no_timing_reason
from jaxify.verify.report import function_labels, summary
from jaxify.verify.session import ModuleReport


def write_plot(reports: list[ModuleReport], target: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    labels = function_labels(reports)
    rows = [(labels[(report.path, index)], result) for report in reports
            for index, result in enumerate(report.functions)]
    figure, axes = plt.subplots(figsize=(9, max(2.0, 0.3 * len(rows) + 1.2)))
    positions = list(range(len(rows)))[::-1]  # first function at the top
    timed = [value for _, result in rows if (value := result.get("speedup"))]
    low, high = min(timed + [1.0]) / 1.5, max(timed + [1.0]) * 1.5
    for y, (_, result) in zip(positions, rows):
        speedup = result.get("speedup")
        if speedup is None:
            failed = result["evidence"] == "failed"
            axes.text(1.0, y, f"  {no_timing_reason(result['evidence'])}", va="center",
                      color="tab:red" if failed else "grey", style="italic")
            continue
        axes.barh(y, speedup - 1.0, left=1.0, color="tab:green" if speedup >= 1 else "tab:red")
        axes.text(max(speedup, 1.0) * 1.05, y, f"{speedup:.2f}x", va="center")
    axes.set_yticks(positions, [label for label, _ in rows])
    axes.set_ylim(-0.7, len(rows) - 0.3)
    axes.axvline(1.0, color="black", linewidth=0.8)
    axes.set_xscale("log")
    axes.set_xlim(low, high * 1.6)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}x"))  # after the log scale
    axes.set_xlabel(f"speedup over the original (jitted, {summary(reports)['device'] or 'device unknown'}); "
                    "left of 1x: slower")
    figure.tight_layout()
    figure.savefig(target, dpi=120)
    plt.close(figure)

"""Charts for the HTML report as inline SVG: no plotting library, no network, one file.

Both charts use log axes, since speedups and timings span orders of magnitude. The speedup
chart's bars start at 1x, so a 0.16x slowdown is a bar to the left of the 1x line, not a solid
bar from the edge that reads like a win.
"""

from __future__ import annotations

import dataclasses
import math
from html import escape

FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px"
FASTER, SLOWER, MUTED, AXIS = "#2e7d32", "#c62828", "#757575", "#424242"


@dataclasses.dataclass(frozen=True)
class SpeedupBar:
    label: str
    speedup: float | None  # None: no timing (failed, unverified, or timing failed)
    evidence: str


@dataclasses.dataclass(frozen=True)
class TimingPoint:
    label: str
    run_ms: float  # the jitted function's median time per call
    compile_ms: float
    speedup: float | None


@dataclasses.dataclass(frozen=True)
class SizeSeries:
    label: str
    points: list[tuple[int, float]]  # (input length, speedup)
    crossover: int | None  # the length from which JAX stays faster


SERIES_COLOURS = ("#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#37474f")


class LogScale:
    """Maps values in [low, high] (whole decades) to pixels in [start, end]."""

    def __init__(self, values: list[float], start: float, end: float, include_one: bool = True):
        values = [v for v in values if v and v > 0] + ([1.0] if include_one or not values else [])
        self.low = 10.0 ** math.floor(math.log10(min(values)))
        self.high = 10.0 ** math.ceil(math.log10(max(values)))
        if self.high <= self.low:
            self.high = self.low * 10
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        fraction = (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        return self.start + fraction * (self.end - self.start)

    def ticks(self) -> list[float]:
        first, last = round(math.log10(self.low)), round(math.log10(self.high))
        return [10.0 ** power for power in range(first, last + 1)]


def no_timing_reason(evidence: str) -> str:
    """What a chart row without a bar says."""
    return "failed: no timing" if evidence == "failed" else f"no timing ({evidence})"


def _number(value: float) -> str:
    return f"{value:g}" if value >= 0.01 else f"{value:.0e}"


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" style="{FONT}"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def speedup_chart(bars: list[SpeedupBar], width: int = 860) -> str:
    """One row per function: a bar from 1x to its speedup, on a log axis; rows without timing say why."""
    label_width, value_width, row, top = min(360, 12 + 7 * max([len(b.label) for b in bars] or [10])), 90, 22, 10
    scale = LogScale([b.speedup for b in bars if b.speedup], label_width, width - value_width)
    height = top + row * max(len(bars), 1) + 40
    one = scale(1.0)
    body = []
    for tick in scale.ticks():
        x = scale(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 30}" stroke="#e0e0e0"/>'
                    f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" fill="{AXIS}">{_number(tick)}x</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        body.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="{AXIS}">'
                    f'{escape(_clip(bar.label, (label_width - 12) // 7))}<title>{escape(bar.label)}</title></text>')
        if bar.speedup is None:
            colour = SLOWER if bar.evidence == "failed" else MUTED
            body.append(f'<text x="{one + 6:.1f}" y="{y + 15}" fill="{colour}" font-style="italic">'
                        f'{escape(no_timing_reason(bar.evidence))}</text>')
            continue
        x = scale(bar.speedup)
        left, right = min(x, one), max(x, one)
        colour = FASTER if bar.speedup >= 1 else SLOWER
        body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{max(right - left, 1):.1f}" height="{row - 8}" '
                    f'fill="{colour}"><title>{escape(bar.label)}: {bar.speedup:.3g}x</title></rect>'
                    f'<text x="{width - value_width + 8}" y="{y + 15}" fill="{colour}">{bar.speedup:.2f}x</text>')
    body.append(f'<line x1="{one:.1f}" y1="{top - 4}" x2="{one:.1f}" y2="{height - 30}" stroke="{AXIS}" '
                f'stroke-width="1.5"/>')
    return _svg(width, height, "speedup of the jitted rewrite over the original, per function", body)


def timing_chart(points: list[TimingPoint], width: int = 860, height: int = 420) -> str:
    """Compile time against run time per call, both log; the dashed lines mark compile = 10^k calls."""
    left, right, top, bottom = 70, width - 20, 16, height - 44
    x_scale = LogScale([p.run_ms for p in points], left, right, include_one=False)
    y_scale = LogScale([p.compile_ms for p in points], bottom, top, include_one=False)
    body = _log_axes(x_scale, y_scale, "jitted run time per call (ms, log)", "compile time (ms, log)", "")
    body += _calls_to_compile_lines(x_scale, y_scale)
    for point in points:
        x, y = x_scale(point.run_ms), y_scale(point.compile_ms)
        colour = MUTED if point.speedup is None else FASTER if point.speedup >= 1 else SLOWER
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" fill-opacity="0.75">'
                    f'<title>{escape(point.label)}: compile {point.compile_ms:.3g} ms, run {point.run_ms:.3g} ms'
                    f'</title></circle>')
        if len(points) <= 40:
            body.append(f'<text x="{x + 7:.1f}" y="{y - 6:.1f}" font-size="10" fill="{AXIS}">'
                        f'{escape(_clip(point.label.rsplit(":", 1)[-1], 24))}</text>')
    return _svg(width, height, "compile time against run time per function", body)


def size_chart(series: list[SizeSeries], width: int = 860, plot_height: int = 380) -> str:
    """Speedup against input length per function, both log; the 1x line is where JAX starts to win.

    The legend, one line per function, sits below the plot.
    """
    left, right, top, bottom = 70, width - 20, 16, plot_height - 44
    height = plot_height + 18 * len(series) + 10
    x_scale = LogScale([size for s in series for size, _ in s.points], left, right, include_one=False)
    y_scale = LogScale([speedup for s in series for _, speedup in s.points], bottom, top)
    body = _log_axes(x_scale, y_scale, "input length (log)", "speedup (log)", "x")
    one = y_scale(1.0)
    body.append(f'<line x1="{left}" y1="{one:.1f}" x2="{right}" y2="{one:.1f}" stroke="{AXIS}" stroke-width="1.5"/>')
    for index, line in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        coordinates = [(x_scale(size), y_scale(speedup)) for size, speedup in line.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
                    f'<title>{escape(line.label)}</title></polyline>')
        for (x, y), (size, speedup) in zip(coordinates, line.points):
            hollow = size == line.crossover
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{6 if hollow else 3.5}" '
                        f'fill="{"white" if hollow else colour}" stroke="{colour}" stroke-width="2">'
                        f'<title>{escape(line.label)}: length {size}, {speedup:.3g}x</title></circle>')
        where = f"JAX faster from length {line.crossover}" if line.crossover else "JAX not faster at these lengths"
        body.append(f'<text x="{left}" y="{plot_height + 14 + 18 * index}" fill="{colour}">'
                    f'\u25cf {escape(line.label)}: {where}</text>')
    return _svg(width, height, "speedup against input length", body)


def _log_axes(x_scale: LogScale, y_scale: LogScale, x_label: str, y_label: str, y_unit: str) -> list[str]:
    """The frame, grid lines at every decade, tick labels and axis titles of a log-log plot."""
    left, right, top, bottom = x_scale.start, x_scale.end, y_scale.end, y_scale.start
    body = [f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#bdbdbd"/>']
    for tick in x_scale.ticks():
        x = x_scale(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#eeeeee"/>'
                    f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="{AXIS}">{_number(tick)}</text>')
    for tick in y_scale.ticks():
        y = y_scale(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eeeeee"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{_number(tick)}{y_unit}'
                    "</text>")
    body.append(f'<text x="{(left + right) / 2}" y="{bottom + 36}" text-anchor="middle" fill="{AXIS}">'
                f"{escape(x_label)}</text>"
                f'<text transform="translate(14 {(top + bottom) / 2}) rotate(-90)" text-anchor="middle" '
                f'fill="{AXIS}">{escape(y_label)}</text>')
    return body


def _calls_to_compile_lines(x_scale: LogScale, y_scale: LogScale) -> list[str]:
    """Dashed diagonals where compiling costs as much as 10, 1000, ... calls."""
    lines = []
    for power in (1, 3, 5):
        calls = 10.0 ** power
        start, end = max(x_scale.low, y_scale.low / calls), min(x_scale.high, y_scale.high / calls)
        if start >= end:
            continue
        x1, y1, x2, y2 = x_scale(start), y_scale(start * calls), x_scale(end), y_scale(end * calls)
        lines.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9e9e9e" '
                     f'stroke-dasharray="4 4"/><text x="{x2 - 4:.1f}" y="{y2 + 12:.1f}" text-anchor="end" '
                     f'font-size="10" fill="{MUTED}">compile = {calls:g} calls</text>')
    return lines


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1):]

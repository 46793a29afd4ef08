"""A progress bar on stderr for long runs: files done / total, rate, time left.

It appears only when stderr is a terminal and the run was not asked to be quiet, and only once
the run has lasted ``DELAY`` seconds, so short runs and runs piped into a file or another program
print exactly what they printed before. rich draws it (already a dependency of the output) and
clears it when the run ends.

    with FileProgress(total=len(files), enabled=show_progress(quiet)) as progress:
        for result in results:
            progress.advance()
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

DELAY = 1.0  # seconds before the bar appears: a run shorter than this shows none


def show_progress(quiet: bool, stream=None) -> bool:
    stream = sys.stderr if stream is None else stream
    return not quiet and stream.isatty()


@functools.cache
def _per_second() -> type:
    """The rate column's class, made when a bar is first shown: rich is imported only then (30 ms
    of every run otherwise, most of them piped or too short for a bar)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class PerSecond(ProgressColumn):
        def __init__(self, unit: str):
            super().__init__()
            self.unit = unit

        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:.1f} {self.unit}/s")

    return PerSecond


class FileProgress:
    """``label [bar] done/total unit rate ETA``: ``jaxify ... files`` for a rewrite, ``verify ... modules``."""

    def __init__(self, total: int, enabled: bool, console: Console | None = None, label: str = "jaxify",
                 unit: str = "files"):
        self._enabled = enabled and total > 0
        self._timer: threading.Timer | None = None
        if not self._enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit), _per_second()(unit),
            TimeRemainingColumn(), console=console or Console(stderr=True), transient=True,
        )
        self._task = self._bar.add_task("files", total=total)

    def __enter__(self) -> FileProgress:
        if self._enabled:
            self._timer = threading.Timer(DELAY, self._bar.start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def advance(self, files: int = 1) -> None:
        if self._enabled:
            self._bar.advance(self._task, files)

    def __exit__(self, *exc) -> None:
        if self._enabled:
            self._timer.cancel()
            self._timer.join()
            self._bar.stop()

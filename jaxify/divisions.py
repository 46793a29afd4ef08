"""A large file's slices rewritten by the runner's workers side by side, and put back together.

``jaxify.slicing`` cuts a large module into slices that rewrite independently. Inside one worker
they would run one after another; here the process that reports reads and cuts the file, the
runner hands each slice to whichever worker is free (so one 5 MB module keeps every core busy and
no worker holds more than a slice's trees), and :meth:`Division.join` puts the rewrites back
together, caches the result and, with ``--apply``, writes it, exactly as ``engine.process_file``
does for a file rewritten whole. Light on purpose: this runs in the reporting process, which
never imports LibCST or the codemods.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jaxify import slicing
from jaxify.cache import ResultCache
from jaxify.config import Options
from jaxify.results import FileResult, FileToRewrite, finish, settle


@dataclasses.dataclass
class Division:
    """One large file, cut: each of ``pieces`` (a slice's text and line map) is rewritten whole by a worker."""

    path: Path
    plan: slicing.Plan
    pieces: list[slicing.Slice]
    settled: FileToRewrite
    apply: bool
    cache: ResultCache | None

    def join(self, results: list[FileResult]) -> FileResult | None:
        """The file's result from its slices' (in ``pieces``' order); None when the rewrites cannot
        be put back together, and the file is to be rewritten whole."""
        name, source = str(self.path), self.settled.source
        for piece, part in zip(self.pieces, results):
            if part.failed:  # a crash, a time limit, a bug: the file fails, as it would whole
                return FileResult(name, source.text, failed=True,
                                  findings=[slicing.remap(f, piece.original_line) for f in part.findings])
        assembled = slicing.assemble(self.plan, self.pieces, [
            (part.rewritten if part.rewritten is not None else piece.text, part.findings)
            for piece, part in zip(self.pieces, results)
        ])
        if assembled is None:
            return None
        text, findings = assembled
        return self.settle_whole(FileResult(name, source.text, text if text != source.text else None, findings))

    def settle_whole(self, result: FileResult) -> FileResult:
        """``result``, the rewrite of the whole file, cached and (with ``apply``) written."""
        if self.cache is not None and not result.failed:
            self.cache.put(self.settled.key, result.rewritten, result.findings)
        result.original = self.settled.source.text
        finish(self.path, self.settled.data, self.settled.source, result, self.apply)
        return result


def divide(path: Path, options: Options, apply: bool, cache: ResultCache | None) -> Division | None:
    """``path`` cut into slices for the workers, or None when it is to be rewritten whole (small,
    a notebook, settled without a rewrite, or not cut: see ``slicing.plan``)."""
    if path.suffix == ".ipynb":
        return None
    try:
        if path.stat().st_size <= slicing.SLICE_ABOVE:
            return None
    except OSError:
        return None
    settled = settle(path, options, apply, cache)
    if not isinstance(settled, FileToRewrite):
        return None
    plan = slicing.plan(settled.source.text)
    if plan is None:
        return None
    return Division(path, plan, slicing.pieces(plan), settled, apply, cache)

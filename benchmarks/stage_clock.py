"""Where the time of a rewrite goes, per pipeline stage, measured in this process.

``StageClock`` wraps the entry points of each stage (LibCST's parser, metadata resolution, the
shared analysis, each codemod's traversal, the import bookkeeping, code generation, the line map,
the diff and the write) and charges every second to the innermost stage running, so nested
stages (metadata resolved inside a codemod) are not counted twice. The wrappers are installed
for the duration of a ``with`` block and removed afterwards.

Only the benchmark uses this: the engine itself carries no timing code.
"""

from __future__ import annotations

import collections
import functools
import time
from collections.abc import Callable

import libcst
from libcst.metadata import MetadataWrapper

from jaxify import codemod, engine, linemap, report, results, source
from jaxify.analysis import module as analysis_module


class StageClock:
    def __init__(self) -> None:
        self.seconds: collections.Counter[str] = collections.Counter()
        self.calls: collections.Counter[str] = collections.Counter()
        self._stack: list[list] = []  # [stage, started, seconds charged to children]
        self._undo: list[Callable[[], None]] = []
        self._parsed_in_pass = False

    # -- charging time -------------------------------------------------------------------------

    def _timed(self, stage: Callable[..., str], function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            name = stage(*args, **kwargs)
            frame = [name, time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[1]
                self.seconds[name] += spent - frame[2]
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1][2] += spent
        return wrapper

    def _patch(self, owner, attribute: str, stage: Callable[..., str]) -> None:
        original = owner.__dict__.get(attribute) if isinstance(owner, type) else getattr(owner, attribute)
        if original is None:
            return  # the entry point moved: that stage is simply not reported
        if isinstance(original, property):
            replacement = property(self._timed(stage, original.fget))
        else:
            replacement = self._timed(stage, original)
        setattr(owner, attribute, replacement)
        self._undo.append(lambda: setattr(owner, attribute, original))

    # -- which stage a call belongs to ---------------------------------------------------------

    def _parse_stage(self, *args, **kwargs) -> str:
        stage = "re-parse" if self._parsed_in_pass else "parse"
        self._parsed_in_pass = True
        return stage

    def _pass_stage(self, *args, **kwargs) -> str:
        self._parsed_in_pass = False
        return "engine (rest)"

    def __enter__(self) -> StageClock:
        fixed = lambda name: (lambda *args, **kwargs: name)  # noqa: E731
        self._patch(libcst, "parse_module", self._parse_stage)
        self._patch(engine, "run_codemods", self._pass_stage)
        self._patch(MetadataWrapper, "resolve", fixed("metadata"))
        self._patch(MetadataWrapper, "resolve_many", fixed("metadata"))
        self._patch(MetadataWrapper, "visit", lambda wrapper, visitor: f"codemod {type(visitor).__name__}")
        self._patch(engine, "transform", lambda wrapper, visitor: f"codemod {type(visitor).__name__}")
        self._patch(analysis_module.ModuleAnalysis, "__init__", fixed("analysis"))
        self._patch(codemod.Codemod, "finish", fixed("imports (add/remove)"))
        self._patch(linemap.LineMap, "__init__", fixed("line map"))
        self._patch(libcst.Module, "code", fixed("print (code generation)"))
        self._patch(report, "unified_diff", fixed("diff"))
        self._patch(source, "write_atomically", fixed("write"))
        self._patch(results, "write_atomically", fixed("write"))
        return self

    def __exit__(self, *exc) -> None:
        while self._undo:
            self._undo.pop()()

    def table(self) -> list[tuple[str, float, int]]:
        """(stage, seconds, calls), slowest first."""
        return sorted(((stage, self.seconds[stage], self.calls[stage]) for stage in self.seconds),
                      key=lambda row: -row[1])

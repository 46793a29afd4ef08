"""What the loop planner decides for one loop, as data: the rewrite (:class:`LoopPlan`), and what a
loop rewritten as vmap became (:class:`VmapRecord`), so an enclosing loop can vmap over it too."""

from __future__ import annotations

import dataclasses

import libcst as cst

from jaxify.analysis.loops import Output


@dataclasses.dataclass(frozen=True)
class LoopPlan:
    """How one loop is rewritten: its rule, the finding's message, the assumption when unsafe, the
    statements that replace it and the imports they need (module, name, alias)."""

    code: str
    message: str
    unsafe_because: str
    statements: list[cst.BaseStatement]
    imports: list[tuple[str, str | None, str | None]]


@dataclasses.dataclass(frozen=True)
class VmapRecord:
    """What a loop rewritten as vmap became, so that an enclosing loop can vmap over it too."""

    output: Output
    index: str
    indices: str  # the `jnp.arange(...)` text of its range
    function: cst.FunctionDef  # the rewritten body function

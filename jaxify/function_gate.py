"""The function is the unit of conversion: which functions of a file move to JAX, which keep NumPy.

Each codemod moves what it can, statement by statement. A function moved only in part runs
eagerly on jax arrays (JAX's per-operation dispatch makes it slower than NumPy), cannot be
jitted, and hands jax arrays to callers that may write them in place. So the engine decides per
function, from what the pipeline did rather than from a prediction of what every codemod would do:

1. a trial: the pipeline runs as with ``--partial``;
2. a function that moved (a fix of a family other than JX5 / JX8 on its lines) is *blocked* when
   something still stops it from being traced end to end: a finding on its lines that left code
   as it was (refused, or unsafe and not applied) in a family that moves code; a line of the
   rewritten function that ``jax.jit`` cannot trace (the jit codemod's blocker list: NumPy on
   traced values, an ``if`` on one, a write in place, a host call, a call of a blocked function);
   or a caller that keeps NumPy and writes the function's result in place;
3. blocked functions are frozen, every family but JX5 leaving their lines alone
   (:meth:`jaxify.codemod.FileContext.keeps_numpy`), and the pipeline runs again from the original
   text until no new function is blocked (the frozen set only grows, so this ends);
4. the functions that moved and are not frozen convert in full, and are jax.jit's targets.

Each frozen function gets one JX807 finding, at its first blocker. The gate is that rule: with
``--partial``, or a selection without JX807 (``--select JX1``: only some families may act, so no
function could convert in full), each family moves what it can, statement by statement. The unit is a top-level
function or a method of a top-level class (nested functions belong to the one holding them);
module-level code is not gated. Files in which nothing moved pay only the trial.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify.analysis.effects import ARRAY_IN_PLACE_METHODS
from jaxify.analysis.expressions import code_of
from jaxify.analysis.tree import TreeIndex
from jaxify.config import Options
from jaxify.findings import Finding, Status
from jaxify.parses import Parses
from jaxify.suppression import Suppressions

GATE_CODE = "JX807"
# Families whose fixes do not move a computation to JAX: engine, API migrations, jit wrapping.
NOT_A_MOVE = ("JX0", "JX5", "JX8")
# Families whose refusals leave code that cannot be traced; JX703 only notes the precision chosen.
MOVING_FAMILIES = ("JX1", "JX2", "JX3", "JX4", "JX6", "JX7")
NOT_BLOCKING = frozenset({"JX703"})
KEY_PARAMETER = frozenset({"JX204", "JX205"})  # the function now takes a random key from its callers
HINT = ("rewrite the blocking line so it can be traced (or move it out of the function) and rerun jaxify "
        "(a NumPy call kept for a parameter's sake moves with --assume-numeric-inputs); `--partial` moves what "
        "converts statement by statement instead")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What the gate decided for one file: the original lines of the functions that keep NumPy,
    and the top-level functions that convert in full."""

    frozen: tuple[range, ...] = ()
    converted: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class Unit:
    """A top-level function or a method of a top-level class, as the user wrote it."""

    name: str  # `f`, or `Class.method`
    node: cst.FunctionDef
    lines: range  # its lines in the original file, decorators included

    @property
    def top_level(self) -> bool:
        return "." not in self.name


@dataclasses.dataclass(frozen=True)
class Blocker:
    line: int
    col: int
    why: str  # "JX305 loop left alone: ...", or what jax.jit cannot trace


Run = Callable[[Verdict], tuple[str, list[Finding]]]


def whole_functions(text: str, path: str, options: Options, run: Run,
                    parses: Parses | None = None) -> tuple[str, list[Finding]]:
    """The rewrite of ``text`` with the gate: ``run(verdict)`` is the pipeline under a verdict;
    ``parses``: the trees the pipeline parsed, which the gate reads too."""
    parses = parses or Parses()
    rewritten, findings = run(Verdict())
    if not any(_is_move(finding) for finding in findings):
        return rewritten, findings
    original = Original.parse(parses.wrapper(text))
    units = original.units
    frozen: dict[str, Finding] = {}
    first_moved = _moved(units, findings)
    while True:
        moved = _moved(units, findings)
        blocked = _blocked(original, text, rewritten, path, options, moved, findings, frozen, parses)
        if not blocked:
            break
        frozen.update(blocked)
        rewritten, findings = run(_verdict(units, frozen, set()))
    converted = {unit.name for unit in units if unit.top_level and unit.name in moved}
    if converted and options.jit is not True:
        # jit's targets are known only now; with --jit every compatible function was wrapped already.
        rewritten, findings = run(_verdict(units, frozen, converted))
    for unit in units:
        if unit.name in first_moved and unit.name not in moved and unit.name not in frozen and _called(original, unit):
            # nothing blocks it, yet nothing moves once its callers keep NumPy: what it returns
            # stays with NumPy code (written in place, or inspected where a jax array differs)
            position = original.positions[unit.node.name].start
            frozen[unit.name] = _finding(path, unit, Blocker(position.line, position.column + 1, (
                "its callers in this module keep NumPy, and what it returns reaches their NumPy code, where a jax "
                "array would behave differently (the input-contract and JAX-differences findings of a --partial "
                "run show where)")))
    suppressions = Suppressions(text)
    reported = [f for f in frozen.values() if not suppressions.is_suppressed(f.code, f.line)]
    return rewritten, findings + reported


def _called(original: Original, unit: Unit) -> bool:
    """Whether the module calls ``unit`` (``f(...)``, or ``x.method(...)`` for a method). A function
    that stops moving without callers keeps NumPy for a reason of the module's text (the codemods'
    pre-checks see no jax once the others keep NumPy), not its callers': no finding to give."""
    name = unit.name.rsplit(".", 1)[-1]
    functions, methods = original.called
    return name in (functions if unit.top_level else methods)


def _moved(units: list[Unit], findings: list[Finding]) -> set[str]:
    return {unit.name for unit in units if any(_is_move(f) and f.line in unit.lines for f in findings)}


def _verdict(units: list[Unit], frozen: dict[str, Finding], converted: set[str]) -> Verdict:
    return Verdict(tuple(unit.lines for unit in units if unit.name in frozen), frozenset(converted))


def _is_move(finding: Finding) -> bool:
    return finding.status is Status.FIXED and not finding.code.startswith(NOT_A_MOVE)


def _leaves_code(finding: Finding) -> bool:
    """A finding that left code as NumPy wrote it, in a family that would have moved it."""
    left = finding.status is Status.NOT_FIXED or finding.status is Status.UNSAFE
    return left and finding.code.startswith(MOVING_FAMILIES) and finding.code not in NOT_BLOCKING


@dataclasses.dataclass
class Original:
    """The file as the user wrote it, parsed once: its tree, positions and units, and what the
    gate asks of it about every unit (calls, uses of results) found in one walk, not one per unit."""

    module: cst.Module
    positions: dict
    units: list[Unit]
    tree: TreeIndex = dataclasses.field(default_factory=TreeIndex)
    _uses: dict[tuple[int, ...], list[cst.CSTNode]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def called(self) -> tuple[frozenset[str], frozenset[str]]:
        """The names the module calls as ``f(...)``, and as ``x.f(...)``."""
        calls = [node for node in self.tree.walk(self.module) if isinstance(node, cst.Call)]
        return (frozenset(call.func.value for call in calls if isinstance(call.func, cst.Name)),
                frozenset(call.func.attr.value for call in calls if isinstance(call.func, cst.Attribute)))

    def uses(self, nodes: list[cst.CSTNode]) -> list[cst.CSTNode]:
        """The assignments and calls of the scope made of ``nodes``, in the order a visitor meets
        them; nested functions and classes are other scopes."""
        key = tuple(map(id, nodes))
        found = self._uses.get(key)
        if found is None:
            found = self._uses[key] = [
                node for root in nodes
                for node in self.tree.walk(root, prune=lambda node: isinstance(node, (cst.FunctionDef, cst.ClassDef)))
                if isinstance(node, (cst.Assign, cst.AugAssign, cst.Call))
            ]
        return found

    @classmethod
    def parse(cls, wrapper: MetadataWrapper) -> Original:
        """The original read off the wrapper of the user's text."""
        positions = wrapper.resolve(PositionProvider)

        def unit(name: str, node: cst.FunctionDef) -> Unit:
            first = min(positions[n].start.line for n in (node, *node.decorators))
            return Unit(name, node, range(first, positions[node].end.line + 1))

        units = []
        for statement in wrapper.module.body:
            if isinstance(statement, cst.FunctionDef):
                units.append(unit(statement.name.value, statement))
            elif isinstance(statement, cst.ClassDef):
                units += [unit(f"{statement.name.value}.{s.name.value}", s) for s in statement.body.body
                          if isinstance(s, cst.FunctionDef)]
        return cls(wrapper.module, positions, units)


def _blocked(original: Original, text: str, rewritten: str, path: str, options: Options, moved: set[str],
             findings: list[Finding], frozen: dict[str, Finding], parses: Parses) -> dict[str, Finding]:
    """The functions that moved, are not frozen yet, and cannot be traced end to end: their finding."""
    units = original.units
    candidates = [unit for unit in units if unit.name in moved and unit.name not in frozen]
    if not candidates:
        return {}
    untraceable = _jit_blockers(text, rewritten, path, options, [u.name for u in candidates if u.top_level], parses)
    blocked: dict[str, Finding] = {}
    for unit in candidates:
        found = [Blocker(f.line, f.col, f"{f.code} {f.message}" + (
                    f": {f.reason}" if f.reason and f.reason not in f.message else ""))
                 for f in findings if f.line in unit.lines and _leaves_code(f)]
        # a refusal comes first: what jax.jit then cannot trace is often its consequence (a NumPy
        # creation kept because the refused loop writes its array in place)
        derived = [*untraceable.get(unit.name, [])]
        if not unit.top_level and options.jit is not False:
            derived.append(_method_blocker(original, unit))
        if found or derived:
            blocked[unit.name] = _finding(path, unit, min(found or derived, key=lambda b: (b.line, b.col)))
    keeping_numpy = {unit.name for unit in units if unit.name not in moved or unit.name in frozen or unit.name in blocked}
    for unit in candidates:
        if unit.name not in blocked and unit.top_level:
            takes_key = any(f.code in KEY_PARAMETER and f.status is Status.FIXED and f.line in unit.lines
                            for f in findings)
            caller = _caller_blocker(original, unit.name, keeping_numpy, takes_key)
            if caller is not None:
                blocked[unit.name] = _finding(path, unit, caller)
    return blocked


def _method_blocker(original: Original, unit: Unit) -> Blocker:
    """Methods are not jitted: jit would take ``self`` as a static argument, cached by identity, and
    keep using attribute values read at the first call after they change. A method that moved
    would then run eagerly on jax arrays, slower than NumPy, and return jax arrays to its callers."""
    position = original.positions[unit.node.name].start
    return Blocker(position.line, position.column + 1, (
        "a method is not jitted (jit would cache `self` by identity and miss later changes to its attributes), "
        "and NumPy calls moved into code that is never traced only add JAX's dispatch cost; move the "
        "computation into a top-level function the method calls, or use --no-jit to convert it unwrapped"))


def _finding(path: str, unit: Unit, blocker: Blocker) -> Finding:
    return Finding(path, blocker.line, blocker.col, GATE_CODE,
                   f"`{unit.name}` keeps its NumPy computation: it cannot be traced end to end",
                   Status.NOT_FIXED, reason=f"first blocker, line {blocker.line}: {blocker.why}", hint=HINT)


def _jit_blockers(text: str, rewritten: str, path: str, options: Options, names: list[str],
                  parses: Parses) -> dict[str, list[Blocker]]:
    """For each top-level function in ``names``, the first line of its rewrite jax.jit cannot trace."""
    if not names:
        return {}
    from jaxify.codemod import FileContext
    from jaxify.codemods.jit import JitWrap
    from jaxify.linemap import LineMap

    wrapper = parses.wrapper(rewritten)
    context = FileContext(path=path, options=options, original_text=text, suppressions=Suppressions(text),
                          line_map=LineMap(text, rewritten))
    probe = JitWrap(context, wrapper)
    probe.index(wrapper.module)
    found = {}
    for name in names:
        if name in probe._functions and probe.blockers(name):
            first = probe.blockers(name)[0]
            line, col = probe.position(first.node)
            found[name] = [Blocker(line, col, f"jax.jit cannot trace it: {first.reason}")]
    return found


def _caller_blocker(original: Original, name: str, keeping_numpy: set[str], takes_key: bool) -> Blocker | None:
    """Where code that keeps NumPy needs ``name`` to keep NumPy too, or None.

    - ``r = f(x)`` followed, in the same function (or at module level), by ``r[i] = v``, ``r += v``,
      ``r.sort()`` or ``np.f(..., out=r)``: NumPy writes its own arrays, and a jax array cannot be
      written at all (or, for ``r += v``, is rebound, which other names bound to it do not see);
    - a call of ``f`` that now takes a random key from a function that keeps NumPy's global
      random state: ``f``'s draws belong to the stream that function seeds and draws from.
    """
    scopes: list[tuple[str, list[cst.CSTNode]]] = [("module-level code", [
        s for s in original.module.body if not isinstance(s, (cst.FunctionDef, cst.ClassDef))])]
    scopes += [(f"`{u.name}`", [u.node.body]) for u in original.units if u.name in keeping_numpy]
    for who, nodes in scopes:
        finder = _CallerUses(name)
        for node in original.uses(nodes):
            finder.see(node)
        if finder.write is not None:
            where = original.positions[finder.write]
            return Blocker(where.start.line, where.start.column + 1,
                           f"{who} writes `{finder.result}`, the array `{name}` returns, in place "
                           f"(`{code_of(finder.write)}`); a jax array cannot be written in place")
        if takes_key and finder.call is not None and who != "module-level code":
            where = original.positions[finder.call]
            return Blocker(where.start.line, where.start.column + 1,
                           f"{who} keeps drawing from NumPy's global random state and calls `{name}`, whose "
                           "draws belong to that stream; a key would change them")
    return None


class _CallerUses:
    """In one scope: the first call of ``function``, and the first in-place write of a name bound
    to its result. It is shown the scope's assignments and calls (``Original.uses``) in turn."""

    def __init__(self, function: str):
        self.function = function
        self.results: set[str] = set()
        self.result = ""
        self.write: cst.CSTNode | None = None
        self.call: cst.Call | None = None

    def see(self, node: cst.Assign | cst.AugAssign | cst.Call) -> None:
        if isinstance(node, cst.Assign):
            self.visit_Assign(node)
        elif isinstance(node, cst.AugAssign):
            self.visit_AugAssign(node)
        else:
            self.visit_Call(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        calls = isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Name) \
            and node.value.func.value == self.function
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                (self.results.add if calls else self.results.discard)(target.target.value)
            else:
                self._check(target.target, node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._check(node.target, node, whole=True)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.call is None and isinstance(func, cst.Name) and func.value == self.function:
            self.call = node
        if isinstance(func, cst.Attribute) and func.attr.value in ARRAY_IN_PLACE_METHODS:
            self._check(func.value, node, whole=True)
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "out":
                self._check(arg.value, node, whole=True)

    def _check(self, target: cst.BaseExpression, statement: cst.CSTNode, whole: bool = False) -> None:
        base = target
        while isinstance(base, (cst.Subscript, cst.Attribute)):
            base = base.value
        if self.write is None and isinstance(base, cst.Name) and base.value in self.results \
                and (whole or base is not target):
            self.result, self.write = base.value, statement

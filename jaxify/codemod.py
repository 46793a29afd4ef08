"""The contract every codemod follows, and the per-file context the codemods share.

A codemod is a LibCST transformer over one module. It declares its rules (``RULES``) and the
metadata it reads (``METADATA_DEPENDENCIES``), rewrites nodes in ``leave_*`` methods, and reports
every place it touched or refused through :meth:`Codemod.fix` and :meth:`Codemod.refuse` (or
:meth:`Codemod.report` for a planner's list of :class:`Fix` / :class:`Refusal` decisions). Those
are the only way a codemod decides whether to rewrite: they apply ``--select`` / ``--ignore``,
``# jaxify: ignore[...]`` comments and ``--unsafe`` in one place, so a codemod never rewrites code
whose rule the user switched off; :meth:`Codemod.enabled` asks the same question ahead of time.
What a rewrite *means* never depends on them: facts come from the shared analysis, and no codemod
reads another's findings.

Imports are never edited by hand: :meth:`Codemod.add_import` and :meth:`Codemod.remove_import`
schedule the change and LibCST's import visitors make it once, after the codemod has run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import TYPE_CHECKING, Callable, ClassVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify.analysis.tree import SkipsUnusedFieldHooks, children
from jaxify.config import Options
from jaxify.findings import Finding, Status
from jaxify.lean_matchers import known_undecorated
from jaxify.present_imports import add_imports, all_still_referenced, already_imported
from jaxify.rules import Rule
from jaxify.suppression import Suppressions

if TYPE_CHECKING:
    from jaxify.analysis import ModuleAnalysis
    from jaxify.parses import Parses


@dataclasses.dataclass(frozen=True)
class Fix:
    """A decision to rewrite ``node``: safe, or (with ``assumption``) unsafe, applied only under
    --unsafe. ``hint`` says what the user can do."""

    node: cst.CSTNode
    code: str
    message: str
    assumption: str = ""
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class Refusal:
    """A decision to leave ``node`` as it is, with the ``reason`` and what the user can do."""

    node: cst.CSTNode
    code: str
    message: str
    reason: str
    hint: str = ""


Decision = Fix | Refusal


def fresh_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``, ... : the first not in ``taken``, which it joins."""
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name


@dataclasses.dataclass
class FileContext:
    """What every codemod of one file sees: the path, the options, the findings so far."""

    path: str
    options: Options
    original_text: str
    suppressions: Suppressions
    findings: list[Finding] = dataclasses.field(default_factory=list)
    line_map: Callable[[int], int] = lambda line: line
    # The whole-function gate's verdict (jaxify/function_gate.py): the original lines of the
    # functions that keep NumPy, and the top-level functions that convert in full (jit's targets).
    frozen: tuple[range, ...] = ()
    converted: frozenset[str] = frozenset()
    # The trees of the file's texts parsed so far (jaxify.parses.Parses), when the engine keeps them.
    parses: Parses | None = None

    def keeps_numpy(self, code: str, line: int) -> bool:
        """Whether ``code`` must leave ``line`` alone because its function keeps NumPy: only API
        migrations (JX5), which keep NumPy's meaning, still act there."""
        return not code.startswith(FAMILIES_IN_FROZEN_FUNCTIONS) and any(line in lines for lines in self.frozen)


# The rule families that still act in a function the gate keeps on NumPy: engine findings and
# API migrations (removed / deprecated APIs), whose rewrites keep NumPy semantics.
FAMILIES_IN_FROZEN_FUNCTIONS = ("JX0", "JX5")


class _LastUnder:
    """The last node, in walking order, of the subtree under ``node``: found when asked (one is
    made for each formatting node a walk passes over, so it is kept small)."""

    __slots__ = ("node",)

    def __init__(self, node: cst.CSTNode):
        self.node = node

    def resolved(self) -> cst.CSTNode:
        node = self.node
        while below := children(node):
            node = below[-1]
        return node


# A plain CSTTransformer: LibCST's MatcherDecoratableTransformer costs about a quarter of every
# traversal in matcher bookkeeping, and no codemod uses its decorators.
class Codemod(SkipsUnusedFieldHooks, cst.CSTTransformer):
    RULES: ClassVar[tuple[Rule, ...]] = ()
    # Every finding needs positions. LibCST resolves a codemod's dependencies and those of its
    # base classes together, so the positions come with the providers a codemod declares; asked
    # for alone (in span), they would also cost LibCST an empty batched walk of the module.
    METADATA_DEPENDENCIES = (PositionProvider,)
    # Node classes under which all of a codemod's work lies (a loop, say): the walk passes over
    # the module's statements that hold none of them. Empty: every statement is walked.
    ACTS_UNDER: ClassVar[tuple[type[cst.CSTNode], ...]] = ()

    def __init__(self, context: FileContext, wrapper: MetadataWrapper):
        self.context = context
        self.wrapper = wrapper
        self._analysis: ModuleAnalysis | None = None
        super().__init__()
        self.import_context = CodemodContext(filename=context.path, wrapper=wrapper)
        self._last_visited: cst.CSTNode | _LastUnder | None = None
        self._passed_over: set[int] = set()  # ids of the module's statements the walk does not enter
        self._made_a_fix = False  # imports are added only for rewrites actually made
        self._codes = {rule.code: rule for rule in self.RULES}

    @classmethod
    def applies_to(cls, text: str) -> bool:
        """A cheap look at the source text: False when this codemod cannot have work to do."""
        return True

    @classmethod
    def may_act(cls, text: str, context: FileContext) -> bool:
        """``applies_to``, for a codemod whose work also depends on the file's context (the
        options, the gate's verdict): False when it can neither rewrite nor report anything, so
        the engine does not run it."""
        return cls.applies_to(text)

    @property
    def analysis(self) -> ModuleAnalysis:
        # Computed on first use, so codemods that never read it do not pay for it.
        if self._analysis is None:
            from jaxify.analysis import analyze

            self._analysis = analyze(self.wrapper, self.context.options, self.context.line_map)
        return self._analysis

    @property
    def options(self) -> Options:
        return self.context.options

    def rewrites_below(self) -> bool:
        """Asked once ``visit_Module`` has run: False when the walk below the module can neither
        change a node nor report anything, so it is skipped (LibCST rebuilds every node a
        transformer passes) and the engine, handed back the module it parsed, prints nothing. A
        codemod that plans every rewrite and finding in ``visit_Module`` says False when its plan
        is empty; the others walk."""
        return True

    def rewrites_in(self, statement: cst.CSTNode) -> bool:
        """Asked, once ``visit_Module`` has run and ``rewrites_below`` said True, of each statement
        of the module's body: False when the walk below it can neither change a node nor report
        anything, so it is not entered (its own visit and leave hooks still run). By default,
        False for a statement that holds none of the node classes ``ACTS_UNDER`` names."""
        acts_under = self.ACTS_UNDER
        return not acts_under or any(type(node) in acts_under for node in self.analysis.tree.walk(statement))

    def holds_any(self, statement: cst.CSTNode, ids: Collection[int]) -> bool:
        """Whether a node under ``statement`` (or itself) has one of these ids: for ``rewrites_in``
        of a codemod whose plan names the nodes it rewrites."""
        return any(id(node) in ids for node in self.analysis.tree.walk(statement))

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._last_visited = node
        descend = super().on_visit(node)
        if node is self.wrapper.module:
            if not self.rewrites_below():
                return False
            self._passed_over = {id(statement) for statement in node.body if not self.rewrites_in(statement)}
        elif id(node) in self._passed_over:
            return False
        return descend

    # -- reporting ---------------------------------------------------------------------------

    def pass_over_formatting(self, node: cst.CSTNode) -> None:
        """The walk (``jaxify.transform``) passes over the formatting node ``node`` and all under
        it without entering them: the last of them is the node visited last, as if it had. A
        codemod whose ``on_visit`` or ``on_leave`` must see formatting nodes deletes this method."""
        self._last_visited = _LastUnder(node)

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        """(line, column, end line, end column) in the original file, 1-based, the end exclusive."""
        positions = self.wrapper.resolve(PositionProvider)
        last = self._last_visited
        if type(last) is _LastUnder:
            last = self._last_visited = last.resolved()
        where = positions.get(node) or positions.get(last)
        if where is None:
            return (1, 1, 1, 1)
        line, end_line = self.context.line_map(where.start.line), self.context.line_map(where.end.line)
        return line, where.start.column + 1, max(line, end_line), where.end.column + 1

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        """(line, column) in the original file, both 1-based; ``node`` is from the tree visited."""
        return self.span(node)[:2]

    def enabled(self, code: str, node: cst.CSTNode) -> bool:
        """Whether ``code`` may act at ``node``: selected, not silenced by a comment there, and not
        inside a function the whole-function gate keeps on NumPy."""
        return self._enabled(code, self.position(node)[0])

    def report(self, decisions: list[Decision]) -> list[bool]:
        """Report every decision; for each, whether its rewrite is to be made (never for a refusal)."""
        made = []
        for decision in decisions:
            if isinstance(decision, Fix):
                made.append(self.fix(decision.node, decision.code, decision.message,
                                     unsafe_because=decision.assumption, hint=decision.hint))
            else:
                self.refuse(decision.node, decision.code, decision.message, reason=decision.reason, hint=decision.hint)
                made.append(False)
        return made

    def _enabled(self, code: str, line: int) -> bool:
        if code not in self._codes:
            raise KeyError(f"{type(self).__name__} reports {code}, which is not in its RULES")
        return (self.options.is_selected(code) and not self.context.suppressions.is_suppressed(code, line)
                and not self.context.keeps_numpy(code, line))

    def fix(
        self,
        node: cst.CSTNode,
        code: str,
        message: str,
        *,
        unsafe_because: str = "",
        hint: str = "",
    ) -> bool:
        """Report a rewrite and say whether to make it.

        A safe fix (no ``unsafe_because``) is made whenever the rule is enabled. An unsafe fix
        states the assumption it rests on and is made only under ``--unsafe``; otherwise it is
        reported as fixable. Returns False when the codemod must leave ``node`` as it is.
        """
        line, col, end_line, end_col = self.span(node)
        if not self._enabled(code, line):
            return False
        if unsafe_because and not self.options.unsafe:
            status, applied = Status.UNSAFE, False
        else:
            status, applied = Status.FIXED, True
            self._made_a_fix = True
        self.context.findings.append(
            Finding(
                self.context.path, line, col, code, message, status,
                reason=unsafe_because, hint=hint, unsafe_applied=bool(unsafe_because) and applied,
                end_line=end_line, end_col=end_col,
            )
        )
        return applied

    def refuse(self, node: cst.CSTNode, code: str, message: str, *, reason: str, hint: str = "") -> None:
        """Report a place left alone, with the reason and what the user can do."""
        line, col, end_line, end_col = self.span(node)
        if self._enabled(code, line):
            self.context.findings.append(
                Finding(
                    self.context.path, line, col, code, message, Status.NOT_FIXED, reason=reason, hint=hint,
                    end_line=end_line, end_col=end_col,
                )
            )

    # -- imports -----------------------------------------------------------------------------

    def add_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        AddImportsVisitor.add_needed_import(self.import_context, module, obj, asname)

    def remove_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        """Remove the import if nothing uses it any more once the codemod has run."""
        RemoveImportsVisitor.remove_unused_import(self.import_context, module, obj, asname)

    def finish(self, module: cst.Module) -> cst.Module:
        """Apply the scheduled import changes to the transformed module."""
        scratch = self.import_context.scratch
        visited = module
        # LibCST's import visitors refuse a form feed in the inferred indentation (a form feed may
        # start an indented line); they run without it and the file's own indentation is put back.
        indent = module.default_indent
        module = module.with_changes(default_indent=indent.replace("\x0c", ""))
        # A builder asks for its import when it builds a node; the node is dropped when its fix is
        # not made (a function the gate keeps on NumPy, a refusal), and so is the import.
        wanted = scratch.get(AddImportsVisitor.CONTEXT_KEY)
        adds = wanted and self._made_a_fix and not already_imported(module, wanted)
        removes = scratch.get(RemoveImportsVisitor.CONTEXT_KEY)
        if not adds and not removes:
            # nothing to import: the module handed in, so that an untouched tree stays the one
            # the engine parsed (it then skips printing it)
            return visited
        with known_undecorated():
            if adds:
                module = add_imports(self.import_context, module)
            if removes and not self._keeps_every_import(module.with_changes(default_indent=indent), removes):
                module = RemoveImportsVisitor(self.import_context).transform_module(module)
        return module.with_changes(default_indent=indent)

    def _keeps_every_import(self, module: cst.Module, removals: list) -> bool:
        """True when LibCST's ``RemoveImportsVisitor`` would keep every import of ``module``: each
        one it could remove is still referenced. That visitor copies the module and resolves
        LibCST's scopes on it (about half a second for a 3,000-line file), and it mostly finds the
        import still used; the answer here reads the scopes of the module's text, parsed as the
        engine parses it next (so the next codemod finds them resolved)."""
        parses = self.context.parses
        if parses is None:
            return False
        try:
            wrapper = parses.wrapper(module.code)
        except cst.ParserSyntaxError:
            return False  # the engine reports it, as it would after the visitor
        return all_still_referenced(wrapper, removals)

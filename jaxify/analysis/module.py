"""The analysis of one module, as plain data every codemod reads: ``analyze(wrapper, options)``."""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable, TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify.analysis.dtypes import Dtypes
from jaxify.analysis.effects import ModuleEffects
from jaxify.analysis.mutation import MutationAnalysis, Write, target_kind, written_by_call
from jaxify.analysis.names import QualifiedNames
from jaxify.analysis.providers import Wrapper, kept_tree
from jaxify.analysis.scopes import CALLER_STATIC, Scope, ScopeCollector
from jaxify.analysis.static_need import only_feeds_arrays
from jaxify.analysis.tree import TreeIndex, visit
from jaxify.analysis.values import Kind, ValueKinds, kind_of_rank


@dataclasses.dataclass
class FunctionInfo:
    """What the analysis knows about one function (``def``), after the module-wide fixpoint."""

    node: cst.FunctionDef
    name: str
    params: tuple[str, ...]
    static_argnames: tuple[str, ...]  # parameters that must be static if the function is jitted
    host_calls: list[tuple[cst.Call, str, str]]  # (call, qualified name, why it is host-only)
    kinds: dict[str, Kind]  # every parameter and local name
    scope: Scope = dataclasses.field(repr=False)


T = TypeVar("T")


class ModuleAnalysis:
    def __init__(self, wrapper: MetadataWrapper, options, original_line: Callable[[int], int] = lambda line: line):
        self.wrapper = wrapper
        self.options = options
        self.original_line = original_line  # a line of this tree -> the line in the user's file
        self.module = wrapper.module
        # walks over this tree that do not rebuild it: the wrapper's, when it keeps one
        self.tree = kept_tree(wrapper) or TreeIndex()
        self.names = QualifiedNames(wrapper)
        self.collector = ScopeCollector(self.module, self.names)
        visit(self.tree, self.module, self.collector)
        self.values = ValueKinds(self.collector, self.names)
        self.dtypes = Dtypes(self.collector, self.names)
        self._derived: dict[Callable, object] = {}
        self._functions = {
            id(scope): self._function_info(scope) for scope in self.collector.functions.values()
        }

    # -- the API codemods read -----------------------------------------------------------------

    def derived(self, build: Callable[[ModuleAnalysis], T]) -> T:
        """``build(self)``, computed once and kept with this analysis (the analyses built on it:
        value classes, JAX differences). Kept here, not in a cache beside it: a weak-keyed cache
        whose value refers back to its key never lets the analysis, and its tree, go."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return self._derived[build]

    def kind_of(self, expr: cst.CSTNode) -> Kind:
        return kind_of_rank(self.values.rank(expr))

    def dtype_of(self, expr: cst.CSTNode) -> str | None:
        return self.dtypes.dtype_of(expr)

    def qualified_name(self, expr: cst.CSTNode) -> str | None:
        return self.names.qualified_name(expr)

    def function_of(self, node: cst.CSTNode) -> FunctionInfo | None:
        """The innermost function whose body holds ``node`` (a function's own node included)."""
        if isinstance(node, cst.FunctionDef) and node in self.collector.functions:
            return self._functions[id(self.collector.functions[node])]
        scope = self.collector.owner.get(node)
        return self._functions.get(id(scope)) if scope is not None else None

    @property
    def functions(self) -> list[FunctionInfo]:
        return list(self._functions.values())

    @functools.cached_property
    def effects(self) -> ModuleEffects:
        """``effects.is_pure(name)`` for the module's functions; ``effects.effects_of(call)``."""
        return ModuleEffects(self.module, self.qualified_name)

    @functools.cached_property
    def mutation(self) -> MutationAnalysis:
        """Every in-place write of the module, with the aliases, views and escapes it meets."""
        return MutationAnalysis(
            self.module,
            qualified_name=self.qualified_name,
            classify_call=lambda call: written_by_call(call, self.qualified_name),
            is_array=lambda expr: self.kind_of(expr) is Kind.ARRAY,
            line_of=lambda node: self.original_line(self.line_of(node)),
            tree=self.tree,
        )

    @functools.cached_property
    def _writes_by_statement(self) -> dict[int, list[Write]]:
        found: dict[int, list[Write]] = {}
        for scope in self.mutation.scopes:
            for write in scope.writes:
                found.setdefault(id(write.node), []).append(write)
        return found

    def writes_array_in_place(self, statement: cst.CSTNode) -> bool:
        """True when the small statement ``statement`` may write an array in place (``x += y``
        on an array, ``x[i] = v``, ``np.copyto(x, ...)``, ``out=``): turning it into a plain
        rebinding is only exact where the in-place codemod proved so, and only it rewrites it."""
        return any(
            write.form != "helper" and target_kind(write, self.kind_of) != "python"
            for write in self._writes_by_statement.get(id(statement), ())
        )

    def star_imports(self) -> list[cst.ImportFrom]:
        return self.names.star_imports(self.module)

    def why(self, expr: cst.CSTNode) -> str:
        """Evidence for ``kind_of(expr)``, e.g. "`n` is static: used as a bound of range() at line 12"."""
        kind = self.kind_of(expr)
        text = self.module.code_for_node(expr)
        if isinstance(expr, cst.Name):
            scope, _ = self.values.lookup(expr, expr.value)
            if scope is not None:
                reason = self._name_reason(scope, expr.value)
                if reason:
                    return f"`{text}` is {kind.value}: {reason}"
        return f"`{text}` is {kind.value}"

    # -- helpers -------------------------------------------------------------------------------

    def line_of(self, node: cst.CSTNode) -> int:
        position = self.wrapper.resolve(PositionProvider).get(node)
        return position.start.line if position is not None else 0

    def _name_reason(self, scope: Scope, name: str) -> str:
        if name in scope.params and scope.parent is not None:
            evidence = self.values.param_evidence.get((id(scope), name))
            if evidence is not None:
                return f"parameter {evidence.text} at line {self.line_of(evidence.node)}"
        final = self.values.name_rank.get((id(scope), name), 0)
        for binding in scope.bindings.get(name, []):
            # show the binding that decided the kind (the first one of the final rank)
            if binding.source is not None and self.values.rank_at(binding.source, binding.path) == final:
                part = "an element of " if binding.path else ""
                source = self.module.code_for_node(binding.source)
                if len(source) > 60:
                    source = source[:57] + "..."
                return f"assigned {part}`{source}` at line {self.line_of(binding.node)}"
        return ""

    def _function_info(self, scope: Scope) -> FunctionInfo:
        kinds = {name: kind_of_rank(self.values.name_rank.get((id(scope), name), 0))
                 for name in [*scope.params, *scope.bindings]}
        static = tuple(
            p for p in scope.params
            if kinds[p] is Kind.STATIC and p not in ("self", "cls") and self._is_plain_param(scope, p)
            and not self._traced_suffices(scope, p)
        )
        return FunctionInfo(
            node=scope.node, name=scope.name, params=tuple(scope.params), static_argnames=static,
            host_calls=list(scope.host_calls), kinds=kinds, scope=scope,
        )

    def _traced_suffices(self, scope: Scope, param: str) -> bool:
        """A parameter static only because the module's callers pass literals, whose uses only feed
        array arithmetic: see :mod:`jaxify.analysis.static_need`."""
        evidence = self.values.param_evidence.get((id(scope), param))
        return (evidence is not None and evidence.strength == CALLER_STATIC
                and only_feeds_arrays(scope.node, param, self.tree.children, self.kind_of))

    @staticmethod
    def _is_plain_param(scope: Scope, name: str) -> bool:
        params = scope.node.params
        return any(p.name.value == name for p in (*params.posonly_params, *params.params, *params.kwonly_params))


def analyze(wrapper: MetadataWrapper, options, original_line: Callable[[int], int] | None = None) -> ModuleAnalysis:
    """The analysis of ``wrapper``'s module, computed once and shared by every codemod that asks.

    ``original_line`` maps a line of this tree back to the user's file (the tree may be an earlier
    codemod's output); the lines the analysis writes into its facts are the user's.
    """
    if isinstance(wrapper, Wrapper):
        analysis = wrapper.analyses.get(options)
        if analysis is None:
            analysis = wrapper.analyses[options] = ModuleAnalysis(wrapper, options, original_line or (lambda line: line))
        return analysis
    key = (id(wrapper), options)
    analysis = _RECENT.pop(key, None)
    if analysis is None or analysis.wrapper is not wrapper:
        analysis = ModuleAnalysis(wrapper, options, original_line or (lambda line: line))
    _RECENT[key] = analysis  # most recent last
    while len(_RECENT) > _KEEP:
        del _RECENT[next(iter(_RECENT))]
    return analysis


# LibCST's own MetadataWrapper has __slots__, so its analyses live here: the few most recent,
# which hold their wrappers (so an id is never reused while its entry is kept). Kept across files,
# they kept eight trees alive, which every full pass of the garbage collector traversed.
_KEEP = 8
_RECENT: dict[tuple[int, object], ModuleAnalysis] = {}

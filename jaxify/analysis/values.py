"""Value kinds: which expressions hold arrays (traced under ``jax.jit``), which hold static
Python values (trip counts, shapes, flags, strings), and which the analysis cannot tell.

Kinds are computed to a fixpoint over the whole module: a name's kind is the join of the kinds of
everything bound to it, a call to a local helper has the join of the helper's returns, and a
parameter's kind comes from the strongest evidence of how it is used (see ``scopes``). The join
orders ``static < unknown < array``: a name that is ever an array is traced under jit, so it is an
array, and a name is static only when every value it can hold is.
"""

from __future__ import annotations

import builtins
import enum
from typing import Callable

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.names import QualifiedNames, array_api_member
from jaxify.analysis.numpy_api import (
    ARRAY_ATTRIBUTES,
    PASS_THROUGH_BUILTINS,
    SCALAR_TYPES,
    STATIC_ATTRIBUTES,
    STATIC_BUILTINS,
    STATIC_RESULT,
)
from jaxify.analysis.scopes import (
    ANNOTATED_ARRAY,
    CALLER_STATIC,
    HARD_STATIC,
    ITER,
    USED_AS_ARRAY,
    Binding,
    Evidence,
    Scope,
    ScopeCollector,
)


class Kind(enum.Enum):
    STATIC = "static"
    ARRAY = "array"
    UNKNOWN = "unknown"


# Ranks for the join; 0 means "no information yet" while the fixpoint runs.
_BOTTOM = 0
_KIND = {1: Kind.STATIC, 2: Kind.UNKNOWN, 3: Kind.ARRAY}
_STATIC, _UNKNOWN, _ARRAY = 1, 2, 3

_STATIC_LITERALS = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
    cst.FormattedString, cst.Lambda, cst.Ellipsis,
)
_MAX_ROUNDS = 50


def kind_of_rank(rank: int) -> Kind:
    return _KIND.get(rank, Kind.UNKNOWN)


class ValueKinds:
    """The fixpoint of name kinds for one module, and the evaluation of any expression in it."""

    def __init__(self, collector: ScopeCollector, names: QualifiedNames):
        self.collector = collector
        self.names = names
        self.name_rank: dict[tuple[int, str], int] = {}
        self.return_rank: dict[int, int] = {}
        self.param_evidence: dict[tuple[int, str], Evidence | None] = {}
        self._calls_to: dict[int, list[cst.Call]] | None = None  # see calls_to
        self._resolve_parameters(with_partners=False)
        self._run()
        # Second round: parameters with no direct evidence take the kind of what they meet in
        # arithmetic and of the arguments local callers pass them.
        if self._resolve_parameters(with_partners=True):
            self._run()

    # -- parameters ----------------------------------------------------------------------------

    def _resolve_parameters(self, with_partners: bool) -> bool:
        changed = False
        for scope in self.collector.functions.values():
            for param in scope.params:
                key = (id(scope), param)
                chosen = self._strongest(scope, param)
                if chosen is None and with_partners:
                    chosen = self._partner_evidence(scope, param)
                if chosen != self.param_evidence.get(key):
                    self.param_evidence[key] = chosen
                    changed = True
        return changed

    @staticmethod
    def _strongest(scope: Scope, name: str) -> Evidence | None:
        found = scope.evidence.get(name, [])
        return min(found, key=lambda e: e.strength) if found else None

    def _partner_evidence(self, scope: Scope, param: str) -> Evidence | None:
        for name, partner in scope.partners:
            if name == param and self.rank(partner) == _ARRAY:
                return Evidence(USED_AS_ARRAY, "used in arithmetic with an array", partner)
        passed = self._callee_evidence(scope, param) or self._copy_evidence(scope, param)
        if passed is not None:
            return passed
        ranks = [self.rank(arg) for arg in self._arguments_at_local_calls(scope, param)]
        if ranks and min(ranks) == _ARRAY:
            return Evidence(USED_AS_ARRAY, "every local caller passes an array", scope.node)
        if ranks and max(ranks) == _STATIC:
            return Evidence(CALLER_STATIC, "every local caller passes a static value", scope.node)
        return None

    def _callee_evidence(self, scope: Scope, param: str) -> Evidence | None:
        """``helper(x)`` where helper's parameter is an array (or must be static): so is ``x``."""
        for call in scope.calls:
            callee = self.local_function(call)
            if callee is None or callee is scope:
                continue
            for index, arg in enumerate(call.args):
                if arg.star or not (isinstance(arg.value, cst.Name) and arg.value.value == param):
                    continue
                name = arg.keyword.value if arg.keyword is not None else (
                    callee.params[index] if index < len(callee.params) else None
                )
                evidence = self.param_evidence.get((id(callee), name))
                if evidence is not None and evidence.strength in (ANNOTATED_ARRAY, USED_AS_ARRAY, HARD_STATIC):
                    kind = "an array" if evidence.strength != HARD_STATIC else "static"
                    return Evidence(evidence.strength, f"passed to {callee.name}(), whose `{name}` is {kind}", arg)
        return None

    @staticmethod
    def _copy_evidence(scope: Scope, param: str) -> Evidence | None:
        """``x = a.copy()`` where ``x`` is used as an array (``x.shape``): a copy has the kind of what
        it copies (a list's copy is a list, which has no ``.shape``), so ``a`` is an array too."""
        for name, bindings in scope.bindings.items():
            for binding in bindings:
                source = binding.source
                if binding.path or not m.matches(source, m.Call(func=m.Attribute(value=m.Name(param), attr=m.Name("copy")), args=[])):
                    continue
                used = [e for e in scope.evidence.get(name, []) if e.strength == USED_AS_ARRAY]
                if used:
                    return Evidence(USED_AS_ARRAY, f"copied into `{name}`, which {used[0].text}", source)
        return None

    def _arguments_at_local_calls(self, callee: Scope, param: str) -> list[cst.CSTNode]:
        position = callee.params.index(param)
        found = []
        for scope in self.collector.scopes:
            for call in scope.calls:
                if self.local_function(call) is not callee:
                    continue
                for index, arg in enumerate(call.args):
                    if arg.star:
                        break
                    if (arg.keyword is None and index == position) or (
                        arg.keyword is not None and arg.keyword.value == param
                    ):
                        found.append(arg.value)
        return found

    def parameter_rank(self, scope: Scope, param: str) -> int:
        evidence = self.param_evidence.get((id(scope), param))
        if evidence is None:
            return _UNKNOWN
        return _ARRAY if evidence.strength in (ANNOTATED_ARRAY, USED_AS_ARRAY) else _STATIC

    # -- fixpoint ------------------------------------------------------------------------------

    def _run(self) -> None:
        self.name_rank = {}
        self.return_rank = {}
        for _ in range(_MAX_ROUNDS):
            changed = False
            for scope in self.collector.scopes:
                for name, bindings in scope.bindings.items():
                    rank = self._name_rank_from_bindings(scope, name, bindings)
                    key = (id(scope), name)
                    if rank > self.name_rank.get(key, _BOTTOM):
                        self.name_rank[key] = rank
                        changed = True
                for param in scope.params if scope.parent is not None else ():
                    key = (id(scope), param)
                    rank = max(self.parameter_rank(scope, param), self.name_rank.get(key, _BOTTOM))
                    if rank > self.name_rank.get(key, _BOTTOM):
                        self.name_rank[key] = rank
                        changed = True
                if scope.parent is not None:
                    rank = max((self.rank(r) for r in scope.returns), default=_STATIC)
                    if rank > self.return_rank.get(id(scope), _BOTTOM):
                        self.return_rank[id(scope)] = rank
                        changed = True
            if not changed:
                return

    def _name_rank_from_bindings(self, scope: Scope, name: str, bindings: list[Binding]) -> int:
        rank = _BOTTOM
        for binding in bindings:
            if binding.fixed is not None:
                rank = max(rank, _STATIC if binding.fixed == "static" else _UNKNOWN)
            elif binding.source is not None:
                rank = max(rank, self.rank_at(binding.source, binding.path))
        return rank

    # -- evaluation ----------------------------------------------------------------------------

    def lookup(self, node: cst.CSTNode, name: str) -> tuple[Scope | None, int]:
        """The scope that binds ``name`` as seen from ``node``, and the name's rank there."""
        scope = self.collector.owner.get(node)
        while scope is not None:
            if name in scope.bindings or name in scope.params:
                return scope, self.name_rank.get((id(scope), name), _BOTTOM)
            scope = scope.parent
        return None, _STATIC if hasattr(builtins, name) else _UNKNOWN

    def local_function(self, call: cst.Call) -> Scope | None:
        """The module's own function a call goes to (``helper(x)``), if it is one."""
        if type(call.func) is not cst.Name:
            return None
        scope, _ = self.lookup(call, call.func.value)
        if scope is None:
            return None
        for binding in scope.bindings.get(call.func.value, []):
            if isinstance(binding.node, cst.FunctionDef):
                return self.collector.functions.get(binding.node)
        return None

    def arguments_for(self, callee: Scope, param: str) -> list[cst.BaseExpression | None]:
        """What the module's own call sites pass for ``callee``'s parameter ``param``; None for a
        call that passes ``*args`` / ``**kwargs`` before it (what it passes is not seen)."""
        if param not in callee.params:
            return []
        position = callee.params.index(param)
        found: list[cst.BaseExpression | None] = []
        for call in self.calls_to(callee):
            for index, arg in enumerate(call.args):
                if arg.star:
                    found.append(None)
                    break
                if (arg.keyword is None and index == position) or (
                    arg.keyword is not None and arg.keyword.value == param
                ):
                    found.append(arg.value)
        return found

    def calls_to(self, callee: Scope) -> list[cst.Call]:
        """The module's own calls of ``callee``. Every call is resolved once, on the first question:
        walking all call sites for each parameter asked about made the cost grow with the square of
        the module's size."""
        if self._calls_to is None:
            self._calls_to = {}
            for scope in self.collector.scopes:
                for call in scope.calls:
                    target = self.local_function(call)
                    if target is not None:
                        self._calls_to.setdefault(id(target), []).append(call)
        return self._calls_to.get(id(callee), [])

    def rank(self, expr: cst.CSTNode) -> int:
        return self.rank_at(expr, ())

    def rank_at(self, expr: cst.CSTNode, path: tuple) -> int:
        """The rank of the part of ``expr`` that ``path`` selects (an element, an iteration item)."""
        if not path:
            return self._rank(expr)
        step, rest = path[0], path[1:]
        if isinstance(expr, (cst.Tuple, cst.List)) and not any(
            isinstance(e, cst.StarredElement) for e in expr.elements
        ):
            if step == ITER:
                return max((self.rank_at(e.value, rest) for e in expr.elements), default=_STATIC)
            if isinstance(step, int) and step < len(expr.elements):
                return self.rank_at(expr.elements[step].value, rest)
        if step == ITER and isinstance(expr, cst.Call):
            qualified = self.names.qualified_name(expr.func)
            args = [arg.value for arg in expr.args if arg.keyword is None]
            if qualified == "builtins.range":
                return _STATIC
            if qualified == "builtins.enumerate" and args and rest and isinstance(rest[0], int):
                return _STATIC if rest[0] == 0 else self.rank_at(args[0], (ITER,) + rest[1:])
            if qualified == "builtins.zip" and rest and isinstance(rest[0], int) and rest[0] < len(args):
                return self.rank_at(args[rest[0]], (ITER,) + rest[1:])
        if isinstance(expr, cst.Call) and isinstance(step, int):
            callee = self.local_function(expr)
            if callee is not None and callee.returns:
                return max(self.rank_at(r, path) for r in callee.returns)
        # No structure to follow: the part is what the whole is.
        return self._rank(expr)

    def _rank(self, expr: cst.CSTNode) -> int:
        handler: Callable[[cst.CSTNode], int] | None = getattr(self, f"_rank_{type(expr).__name__}", None)
        if handler is not None:
            return handler(expr)
        if isinstance(expr, _STATIC_LITERALS):
            return _STATIC
        return _UNKNOWN

    def _join(self, exprs) -> int:
        return max((self._rank(e) for e in exprs), default=_STATIC)

    def _rank_Name(self, expr: cst.Name) -> int:
        _, rank = self.lookup(expr, expr.value)
        return rank

    def _rank_Attribute(self, expr: cst.Attribute) -> int:
        if self.names.qualified_name(expr) is not None:
            return _STATIC  # a module constant or type: np.pi, np.float32, math.e
        attr = expr.attr.value
        if attr in STATIC_ATTRIBUTES:
            return _STATIC
        base = self._rank(expr.value)
        if attr in ARRAY_ATTRIBUTES or attr == "at" or base == _STATIC:
            return base
        # Any other attribute, even of an array-like value (`self._sizeable` where `self` is an
        # ndarray subclass, a field of a state object), may be a plain Python value: unknown.
        return _UNKNOWN if base != _BOTTOM else _BOTTOM

    def _rank_Subscript(self, expr: cst.Subscript) -> int:
        base = self._rank(expr.value)
        indices = []
        for element in expr.slice:
            if isinstance(element.slice, cst.Index):
                indices.append(element.slice.value)
        if base == _STATIC:
            return max(_STATIC, self._join(indices))
        return base

    def _rank_BinaryOperation(self, expr: cst.BinaryOperation) -> int:
        return self._join((expr.left, expr.right))

    def _rank_UnaryOperation(self, expr: cst.UnaryOperation) -> int:
        return self._rank(expr.expression)

    def _rank_BooleanOperation(self, expr: cst.BooleanOperation) -> int:
        return self._join((expr.left, expr.right))

    def _rank_Comparison(self, expr: cst.Comparison) -> int:
        if all(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in expr.comparisons):
            return _STATIC
        return self._join([expr.left, *(c.comparator for c in expr.comparisons)])

    def _rank_IfExp(self, expr: cst.IfExp) -> int:
        return self._join((expr.body, expr.orelse))

    def _rank_NamedExpr(self, expr: cst.NamedExpr) -> int:
        return self._rank(expr.value)

    def _elements(self, expr) -> int:
        return self._join([e.value for e in expr.elements])

    _rank_Tuple = _rank_List = _rank_Set = _elements

    def _rank_Dict(self, expr: cst.Dict) -> int:
        return self._join([e.value for e in expr.elements])

    def _rank_StarredElement(self, expr: cst.StarredElement) -> int:
        return self._rank(expr.value)

    def _comprehension(self, expr) -> int:
        return self._rank(expr.elt)

    _rank_ListComp = _rank_SetComp = _rank_GeneratorExp = _comprehension

    def _rank_DictComp(self, expr: cst.DictComp) -> int:
        return self._rank(expr.value)

    def _rank_Call(self, call: cst.Call) -> int:
        qualified = self.names.qualified_name(call.func)
        args = [arg.value for arg in call.args]
        member = array_api_member(qualified)
        if member is not None:
            if member in STATIC_RESULT:
                return _STATIC
            if member in SCALAR_TYPES:
                return self._join(args)
            if member == "random.default_rng" or member == "random.RandomState":
                return _UNKNOWN  # a host-side generator object
            return _ARRAY
        if qualified is not None and qualified.startswith("builtins."):
            builtin = qualified[len("builtins."):]
            if builtin in STATIC_BUILTINS:
                return _STATIC
            if builtin in PASS_THROUGH_BUILTINS:
                return self._join(args)
            return _UNKNOWN
        if qualified is not None and qualified.startswith("jax.lax."):
            return _ARRAY  # every leaf a lax primitive returns (a loop's carry, a cond's branch) is traced
        if qualified is not None and qualified.startswith("math."):
            return max(_STATIC, self._join(args)) if self._join(args) == _STATIC else _UNKNOWN
        if isinstance(call.func, cst.Call) and (self.names.qualified_name(call.func.func) or "").startswith("jax."):
            return _ARRAY  # `jax.vmap(f)(xs)`, `jax.jit(f)(x)`: what a jax transformation makes returns jax arrays
        callee = self.local_function(call)
        if callee is not None:
            return self.return_rank.get(id(callee), _BOTTOM)
        if isinstance(call.func, cst.Attribute) and qualified is None:
            # x.sum() is an array, "a,b".split(",") is static, obj.method() is unknown
            return self._rank(call.func.value)
        return _UNKNOWN

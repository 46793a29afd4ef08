"""Places where a jax.numpy form would behave differently from NumPy although the numbers agree.

- **Exceptions used as control flow.** NumPy raises ``LinAlgError`` for a singular matrix,
  ``FloatingPointError`` under ``np.errstate(...="raise")``, ``ValueError`` for a read-only array
  or a bad shape, ``IndexError`` out of bounds; the jax forms return NaN, clamp or never raise, so
  a handler would silently stop running. Calls and writes inside a ``try`` that catches such an
  error, or inside ``np.errstate`` set to raise, stay NumPy.
- **Values whose Python type matters.** ``np.mean(x)`` is an ``np.float64``, a ``float``
  subclass; the jax result is a 0-d array. ``isinstance(v, float)``, ``type(v) is np.ndarray``,
  ``np.isscalar(v)``, ``math.*`` (which need a concrete float under jit), ``str``/``repr``/``%``
  formatting, dict keys (jax arrays are unhashable) and Python builtins that iterate
  (``sum(a)`` walks a jax array element by element) all tell them apart. A NumPy call whose result
  reaches such a place, directly, through names, or through a local helper's parameter, stays NumPy.
- **Casts NumPy checks.** Writing a float into an integer array raises ``OverflowError`` in NumPy
  when the value does not fit (and NaN has no integer); JAX saturates silently.
- **Loops NumPy ends with an exception.** ``while t > c[i]: i += 1`` stops with IndexError past
  the end; a ``lax.while_loop`` clamps the index and never ends. Such loops, loops that index a
  non-numeric array by the loop index, and loops calling ``math.*`` stay Python loops.
"""

from __future__ import annotations

import weakref

import libcst as cst
import numpy

from jaxify.analysis.dtype_class import value_classes
from jaxify.analysis.loops import Blocker

_RAISING_ERRORS = frozenset({
    "LinAlgError", "FloatingPointError", "ArithmeticError", "ZeroDivisionError", "OverflowError", "ValueError",
    "TypeError", "IndexError", "LookupError", "Exception", "BaseException",  # IndexError: also JX112 / JX604
})
_TYPE_SENSITIVE_BUILTINS = frozenset({
    "isinstance", "type", "str", "repr", "format", "hash", "sum", "max", "min", "sorted", "list", "tuple",
    "iter", "enumerate", "zip", "map", "filter", "set", "frozenset", "dict",
})
_TYPE_SENSITIVE_NUMPY = frozenset({"isscalar"})


def _code(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)


def _caught(handler: cst.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    names = set()
    for entry in types:
        expr = entry.value if isinstance(entry, cst.Element) else entry
        names.add(expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", ""))
    return names


class _Differences:
    """Per module: the nodes under raising contexts and the calls whose Python type matters."""

    def __init__(self, analysis):
        self.analysis = analysis
        self.raising: dict[int, str] = {}
        self.sensitive: dict[int, str] = {}  # id(expression) -> the place its type matters
        self._sensitive_names: set[tuple[int, str]] = set()
        for node in analysis.tree.walk(analysis.module):
            if isinstance(node, cst.Try):
                caught = set().union(*(_caught(h) for h in node.handlers)) & _RAISING_ERRORS
                if caught:
                    why = (f"it runs inside a `try` that catches {', '.join(sorted(caught))}: the jax form returns "
                           "NaN, clamps or never raises, so the handler would silently stop running")
                    self._mark_raising(node.body, why)
            elif isinstance(node, cst.With) and any(self._errstate_raises(item.item) for item in node.items):
                self._mark_raising(node.body, "it runs under `np.errstate(...='raise')`: NumPy raises "
                                   "FloatingPointError there, the jax form never does")
        self._collect_sensitive()

    def _mark_raising(self, body: cst.CSTNode, why: str) -> None:
        for inner in self.analysis.tree.walk(body):
            self.raising.setdefault(id(inner), why)

    def _errstate_raises(self, expr: cst.CSTNode) -> bool:
        if not (isinstance(expr, cst.Call) and self.analysis.qualified_name(expr.func) == "numpy.errstate"):
            return False
        return any(isinstance(a.value, cst.SimpleString) and a.value.evaluated_value == "raise" for a in expr.args)

    # -- values whose Python type matters --------------------------------------------------------

    def _collect_sensitive(self) -> None:
        pending: list[tuple[cst.CSTNode, str]] = []
        for node in self.analysis.tree.walk(self.analysis.module):
            if isinstance(node, cst.Call):
                qualified = self.analysis.qualified_name(node.func) or ""
                name = qualified.split(".", 1)[1] if qualified.startswith(("builtins.", "numpy.")) else ""
                if qualified.startswith("math.") or (qualified.startswith("builtins.") and name in _TYPE_SENSITIVE_BUILTINS) or (
                    qualified.startswith("numpy.") and name in _TYPE_SENSITIVE_NUMPY
                ):
                    pending += [(arg.value, f"`{_code(node)}`") for arg in node.args]
            elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo) and isinstance(
                node.left, (cst.SimpleString, cst.ConcatenatedString)
            ):
                pending.append((node.right, f"`{_code(node)}` (string formatting)"))
            elif isinstance(node, cst.FormattedStringExpression):
                pending.append((node.expression, "an f-string"))
            elif isinstance(node, cst.DictElement):
                pending.append((node.key, "a dict key"))
            elif isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Subscript):
                base = value_classes(self.analysis).of(node.target.value)
                if base.cls == "object":  # a dict: the index is a key
                    pending += [(e.slice.value, "a dict key") for e in node.target.slice if isinstance(e.slice, cst.Index)]
        while pending:
            expr, place = pending.pop()
            pending += self._mark(expr, place)

    def _mark(self, expr: cst.CSTNode, place: str) -> list[tuple[cst.CSTNode, str]]:
        if id(expr) in self.sensitive:
            return []
        self.sensitive[id(expr)] = place
        if isinstance(expr, cst.Name):
            return self._mark_name(expr, place)
        if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
            return [(expr.left, place), (expr.right, place)]
        if isinstance(expr, cst.UnaryOperation):
            return [(expr.expression, place)]
        if isinstance(expr, cst.IfExp):
            return [(expr.body, place), (expr.orelse, place)]
        if isinstance(expr, (cst.Tuple, cst.List)):
            return [(e.value, place) for e in expr.elements]
        if isinstance(expr, cst.Subscript):
            return [(expr.value, place)]
        if isinstance(expr, cst.Call):
            callee = self.analysis.values.local_function(expr)
            if callee is not None:
                return [(value, place) for value in callee.returns]
            if isinstance(expr.func, cst.Attribute) and self.analysis.qualified_name(expr.func) is None:
                return [(expr.func.value, place)]  # x.sum(): the type of x decides
        return []

    def _mark_name(self, expr: cst.Name, place: str) -> list[tuple[cst.CSTNode, str]]:
        scope, _ = self.analysis.values.lookup(expr, expr.value)
        if scope is None or (id(scope), expr.value) in self._sensitive_names:
            return []
        self._sensitive_names.add((id(scope), expr.value))
        found = [(b.source, place) for b in scope.bindings.get(expr.value, []) if b.source is not None]
        if expr.value in scope.params and scope.parent is not None:
            found += self._arguments_for(scope, expr.value, place)
        return found

    def _arguments_for(self, callee, param: str, place: str) -> list[tuple[cst.CSTNode, str]]:
        return [(value, f"{place} in `{callee.name}()`")
                for value in self.analysis.values.arguments_for(callee, param) if value is not None]


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _differences(analysis) -> _Differences:
    found = _CACHE.get(analysis)
    if found is None:
        found = _CACHE[analysis] = _Differences(analysis)
    return found


def call_difference(analysis, call: cst.Call) -> str:
    """Why this NumPy call must stay NumPy although jax.numpy computes the same numbers ("" if none)."""
    differences = _differences(analysis)
    if id(call) in differences.raising:
        return differences.raising[id(call)]
    if id(call) in differences.sensitive:
        return (f"its result reaches {differences.sensitive[id(call)]}, where a NumPy scalar or array and a "
                "jax array behave differently (type checks, formatting, hashing, math.*, Python iteration)")
    return ""


def write_difference(analysis, target: cst.CSTNode, statement: cst.CSTNode) -> str:
    """Why an in-place write must stay a NumPy write although its numbers are numeric ("" if none)."""
    differences = _differences(analysis)
    if id(statement) in differences.raising:
        return differences.raising[id(statement)].replace("the jax form", "the `.at[]` form")
    if isinstance(statement, cst.Assign) and isinstance(target, cst.Subscript):
        target_dtype = analysis.dtype_of(target.value)
        value_dtype = analysis.dtype_of(statement.value) or _converted_dtype(analysis, statement.value)
        integral = target_dtype is not None and numpy.dtype(target_dtype).kind in "iub"
        literal = isinstance(statement.value, (cst.Integer, cst.Float)) or (
            isinstance(statement.value, cst.UnaryOperation) and isinstance(statement.value.expression, (cst.Integer, cst.Float))
        )  # a finite constant truncates the same way in both
        if integral and not literal and value_dtype is not None and numpy.dtype(value_dtype).kind in "fc":
            return (f"a {value_dtype} value is written into a {target_dtype} array: NumPy raises on values that do "
                    "not fit (NaN, infinities, overflow), JAX saturates silently")
        grown = _leading_unit_axis(analysis, statement.value)
        if grown:
            return (f"the value gains a leading axis of length 1 (`{grown}`): NumPy's assignment drops it, "
                    "`.at[].set` raises on the shape")
    return ""


def _converted_dtype(analysis, value: cst.CSTNode) -> str | None:
    """The dtype every binding of the array ``value`` reads names with ``dtype=`` (``x[i]`` after
    ``x = np.asarray(x, dtype=float)``); None when any binding does not say."""
    while isinstance(value, cst.Subscript):
        value = value.value
    if not isinstance(value, cst.Name):
        return None
    scope = analysis.collector.owner.get(value)
    found = set()
    for binding in (scope.bindings.get(value.value, []) if scope is not None else []):
        call = binding.source
        dtype = None
        if isinstance(call, cst.Call) and not binding.path:
            dtype = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "dtype"), None)
        found.add(analysis.dtypes.parse_dtype(dtype) if dtype is not None else None)
    return found.pop() if len(found) == 1 else None


def _leading_unit_axis(analysis, value: cst.CSTNode, depth: int = 0) -> str:
    """The part of ``value`` that adds a leading length-1 axis (``reshape(1, n)``, ``atleast_2d``,
    ``x[None]``, ``keepdims=True``), following names one binding deep; "" when none."""
    for node in _walk(value):
        if isinstance(node, cst.Call):
            qualified = analysis.qualified_name(node.func) or ""
            method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
            positional = [a.value for a in node.args if a.keyword is None]
            if qualified.endswith(("atleast_2d", "atleast_3d", "expand_dims")) or any(
                a.keyword is not None and a.keyword.value == "keepdims" for a in node.args
            ) or (method == "reshape" and positional and isinstance(positional[0], cst.Integer)
                  and positional[0].value == "1" and len(positional) > 1):
                return _code(node)
        elif isinstance(node, cst.SubscriptElement) and isinstance(node.slice, cst.Index) and (
            (isinstance(node.slice.value, cst.Name) and node.slice.value.value == "None")
            or analysis.qualified_name(node.slice.value) == "numpy.newaxis"
        ):
            return _code(node)
        elif isinstance(node, cst.Name) and depth == 0:
            scope = analysis.collector.owner.get(node)
            for binding in (scope.bindings.get(node.value, []) if scope is not None else []):
                if binding.source is not None and binding.source is not value:
                    found = _leading_unit_axis(analysis, binding.source, depth + 1)
                    if found:
                        return found
    return ""


def loop_differences(analysis, loop: cst.For | cst.While) -> list[Blocker]:
    """Why a loop must stay a Python loop although its body looks traceable."""
    blockers = []
    written = {n.value for n in _walk(loop.body) if isinstance(n, cst.Name)}
    classes = value_classes(analysis)
    for node in _walk(loop.body):
        if isinstance(node, cst.Call) and (analysis.qualified_name(node.func) or "").startswith("math."):
            blockers.append(Blocker(node, f"`{_code(node)}` needs a concrete Python float; on a traced value it "
                                          "raises (use the jnp function instead)"))
        elif isinstance(node, cst.Subscript):
            verdict = classes.of(node.value)
            if verdict.non_numeric:
                blockers.append(Blocker(node, f"`{_code(node)}` indexes a value that is not a numeric array "
                                              f"({verdict.why or verdict.cls}); a traced index cannot read it"))
    if isinstance(loop, cst.While):
        blockers += _index_error_exit(loop, written)
    return blockers


def _index_error_exit(loop: cst.While, written: set[str]) -> list[Blocker]:
    """``while t > c[i]: i += 1``: only NumPy's IndexError ends the loop once ``i`` runs past the end."""
    assigned = set()
    for node in _walk(loop.body):
        if isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            assigned.add(node.target.value)
        elif isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            assigned.add(node.target.value)
    bounded = set()
    for node in _walk(loop.test):
        if isinstance(node, cst.Comparison):
            for operand in (node.left, *(c.comparator for c in node.comparisons)):
                if isinstance(operand, cst.Name):
                    bounded.add(operand.value)
    for node in _walk(loop.test):
        if isinstance(node, cst.Subscript):
            index_names = {n.value for e in node.slice for n in _walk(e) if isinstance(n, cst.Name)}
            moving = (index_names & assigned) - bounded
            if moving:
                return [Blocker(loop, f"the loop test reads `{_code(node)}` with `{sorted(moving)[0]}` growing and no "
                                      "bound on it: NumPy ends the loop with IndexError past the end, JAX clamps the "
                                      "index and the loop would never end")]
    return []


def computed_by_numpy(analysis, expr: cst.CSTNode, _seen: frozenset = frozenset()) -> bool:
    """Whether ``expr`` is computed only by NumPy calls that stay NumPy (and constants), with at
    least one of them: a concrete host value, never traced. A Python ``if`` on it needs no
    ``jnp.where`` or ``lax.cond``, which would only turn the function's NumPy results into jax
    arrays and evaluate both branches."""
    found = _numpy_leaves(analysis, expr, _seen)
    return bool(found)


def _numpy_leaves(analysis, expr: cst.CSTNode, seen: frozenset) -> int:
    """The number of NumPy calls ``expr`` is computed from; 0 when anything else (a parameter, a
    jax call, an unknown value) takes part."""
    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.BaseString)):
        return -1  # neutral: a constant
    if isinstance(expr, cst.Call):
        qualified = analysis.qualified_name(expr.func) or ""
        if qualified.startswith("numpy."):
            return 1
        if isinstance(expr.func, cst.Attribute) and not qualified:
            return _numpy_leaves(analysis, expr.func.value, seen)
        return 0
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False", "None"):
            return -1
        scope = analysis.collector.owner.get(expr)
        if scope is None or expr.value in scope.params or expr.value not in scope.bindings or expr.value in seen:
            return 0
        counts = [_numpy_leaves(analysis, b.source, seen | {expr.value}) if b.source is not None and not b.path else 0
                  for b in scope.bindings[expr.value]]
        return 0 if not counts or 0 in counts else max(counts)
    if isinstance(expr, (cst.Attribute, cst.Subscript)):
        return _numpy_leaves(analysis, expr.value, seen)
    parts = {
        cst.BinaryOperation: lambda e: [e.left, e.right], cst.BooleanOperation: lambda e: [e.left, e.right],
        cst.UnaryOperation: lambda e: [e.expression],
        cst.Comparison: lambda e: [e.left, *(c.comparator for c in e.comparisons)],
    }.get(type(expr))
    if parts is None:
        return 0
    counts = [_numpy_leaves(analysis, part, seen) for part in parts(expr)]
    return 0 if 0 in counts else max(counts)

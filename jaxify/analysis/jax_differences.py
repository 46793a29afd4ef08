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
- **Integers that differ at the edges.** Integer floor division by zero gives 0 in NumPy and -1
  (255 for uint8, a floored -inf for a negative int) in JAX; a float cast to an integer dtype
  (``.astype(np.int64)``, ``np.asarray(x, dtype=np.uint8)``) gives NumPy's INT_MIN for NaN and
  infinities and wraps negative values into unsigned ones, where JAX gives 0 and saturates. Such a
  division (unless its divisor is a non-zero constant or a float) and such a cast (of a value known
  or seen to be floating) keep their NumPy operands, and a top-level function holding one is not
  jitted (its parameters would become traced).
- **Callables held in attributes.** ``self.op = np.subtract`` then ``self.op(a, b)``: jaxify
  cannot see which function runs, and a NumPy one would take jax arrays. The arguments keep NumPy.
- **Loops NumPy ends with an exception.** ``while t > c[i]: i += 1`` stops with IndexError past
  the end; a ``lax.while_loop`` clamps the index and never ends. Such loops, loops that index a
  non-numeric array by the loop index, and loops calling ``math.*`` stay Python loops.
"""

from __future__ import annotations


import libcst as cst
import numpy

from jaxify.analysis.dtype_class import value_classes
from jaxify.analysis.loops import Blocker
from jaxify.analysis.tree import children
from jaxify.analysis.values import Kind

_RAISING_ERRORS = frozenset({
    "LinAlgError", "FloatingPointError", "ArithmeticError", "ZeroDivisionError", "OverflowError", "ValueError",
    "TypeError", "IndexError", "LookupError", "Exception", "BaseException",  # IndexError: also JX112 / JX604
})
_TYPE_SENSITIVE_BUILTINS = frozenset({
    "isinstance", "type", "str", "repr", "format", "hash", "sum", "max", "min", "sorted", "list", "tuple",
    "iter", "enumerate", "zip", "map", "filter", "set", "frozenset", "dict",
})
_TYPE_SENSITIVE_NUMPY = frozenset({"isscalar"})
_TYPES = ("a NumPy scalar or array and a jax array behave differently (type checks, formatting, hashing, "
          "math.*, Python iteration)")
_ZERO_DIVISOR = ("integer division by zero gives 0 in NumPy and -1 (or the largest unsigned value) in JAX, "
                 "and the divisor is not a non-zero constant")
_FLOAT_TO_INT = ("NumPy gives INT_MIN for NaN and infinities and wraps negative values into unsigned types; "
                 "JAX gives 0 and saturates")
_FLOATING_FUNCTIONS = frozenset({
    "floor", "ceil", "round", "around", "rint", "trunc", "fix", "sqrt", "exp", "log", "log2", "log10", "mean",
    "true_divide", "divide", "sin", "cos", "tan", "arctan2", "hypot", "linspace", "interp", "nanmean",
})


def _code(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _walk(node: cst.CSTNode):
    yield node
    for child in children(node):
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
        # id(expression) -> (the place its result reaches, "" for the expression itself; what differs there)
        self.sensitive: dict[int, tuple[str, str]] = {}
        self._sensitive_names: set[tuple[int, str]] = set()
        for node in analysis.tree.walk(analysis.module):
            kind = type(node)  # every node of the module: `is` costs far less than isinstance on LibCST's classes
            if kind is cst.Try:
                caught = set().union(*(_caught(h) for h in node.handlers)) & _RAISING_ERRORS
                if caught:
                    why = (f"it runs inside a `try` that catches {', '.join(sorted(caught))}: the jax form returns "
                           "NaN, clamps or never raises, so the handler would silently stop running")
                    self._mark_raising(node.body, why)
            elif kind is cst.With and any(self._errstate_raises(item.item) for item in node.items):
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
        pending: list[tuple[cst.CSTNode, str, str]] = []
        for node in self.analysis.tree.walk(self.analysis.module):
            edge = edge_operation(self.analysis, node) if type(node) in EDGE_NODES else None
            if edge is not None:
                pending += [(operand, f"`{_code(node)}`", edge[1]) for operand in edge[0]]
                if isinstance(node, cst.Call) and self.analysis.qualified_name(node.func):
                    self.sensitive.setdefault(id(node), ("", edge[1]))  # the call itself: np.asarray(x, dtype=int)
            kind = type(node)  # every node of the module: `is` costs far less than isinstance on LibCST's classes
            if kind is cst.Call:
                qualified = self.analysis.qualified_name(node.func) or ""
                name = qualified.split(".", 1)[1] if qualified.startswith(("builtins.", "numpy.")) else ""
                if qualified.startswith("math.") or (qualified.startswith("builtins.") and name in _TYPE_SENSITIVE_BUILTINS) or (
                    qualified.startswith("numpy.") and name in _TYPE_SENSITIVE_NUMPY
                ):
                    pending += [(arg.value, f"`{_code(node)}`", _TYPES) for arg in node.args]
            elif kind is cst.BinaryOperation and type(node.operator) is cst.Modulo and isinstance(
                node.left, (cst.SimpleString, cst.ConcatenatedString)
            ):
                pending.append((node.right, f"`{_code(node)}` (string formatting)", _TYPES))
            elif kind is cst.FormattedStringExpression:
                pending.append((node.expression, "an f-string", _TYPES))
            elif kind is cst.DictElement:
                pending.append((node.key, "a dict key", _TYPES))
            elif kind is cst.AssignTarget and type(node.target) is cst.Subscript:
                base = value_classes(self.analysis).of(node.target.value)
                if base.cls == "object":  # a dict: the index is a key
                    pending += [(e.slice.value, "a dict key", _TYPES)
                                for e in node.target.slice if isinstance(e.slice, cst.Index)]
        while pending:
            expr, place, why = pending.pop()
            pending += self._mark(expr, place, why)

    def _mark(self, expr: cst.CSTNode, place: str, why: str) -> list[tuple[cst.CSTNode, str, str]]:
        if id(expr) in self.sensitive:
            return []
        self.sensitive[id(expr)] = (place, why)
        if isinstance(expr, cst.Name):
            return self._mark_name(expr, place, why)
        if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
            return [(expr.left, place, why), (expr.right, place, why)]
        if isinstance(expr, cst.UnaryOperation):
            return [(expr.expression, place, why)]
        if isinstance(expr, cst.IfExp):
            return [(expr.body, place, why), (expr.orelse, place, why)]
        if isinstance(expr, (cst.Tuple, cst.List)):
            return [(e.value, place, why) for e in expr.elements]
        if isinstance(expr, cst.Subscript):
            return [(expr.value, place, why)]
        if isinstance(expr, cst.Call):
            callee = self.analysis.values.local_function(expr)
            if callee is not None:
                return [(value, place, why) for value in callee.returns]
            if isinstance(expr.func, cst.Attribute) and self.analysis.qualified_name(expr.func) is None:
                return [(expr.func.value, place, why)]  # x.sum(): the type of x decides
        return []

    def _mark_name(self, expr: cst.Name, place: str, why: str) -> list[tuple[cst.CSTNode, str, str]]:
        scope, _ = self.analysis.values.lookup(expr, expr.value)
        if scope is None or (id(scope), expr.value) in self._sensitive_names:
            return []
        self._sensitive_names.add((id(scope), expr.value))
        found = [(b.source, place, why) for b in scope.bindings.get(expr.value, []) if b.source is not None]
        if expr.value in scope.params and scope.parent is not None:
            found += [(value, f"{place} in `{scope.name}()`", why)
                      for value in self.analysis.values.arguments_for(scope, expr.value) if value is not None]
        return found


def _differences(analysis) -> _Differences:
    return analysis.derived(_Differences)


def call_difference(analysis, call: cst.Call) -> str:
    """Why this NumPy call must stay NumPy although jax.numpy computes the same numbers ("" if none)."""
    differences = _differences(analysis)
    if id(call) in differences.raising:
        return differences.raising[id(call)]
    if id(call) in differences.sensitive:
        place, why = differences.sensitive[id(call)]
        return f"its result reaches {place}, where {why}" if place else f"`{_code(call)}`: {why}"
    return ""


# The node classes for which edge_operation may answer: callers walking every node of a module
# ask only of these (a call per node of the walk otherwise, twice per function for the planner)
EDGE_NODES = frozenset({cst.BinaryOperation, cst.AugAssign, cst.Call})


def edge_operation(analysis, node: cst.CSTNode) -> tuple[list[cst.CSTNode], str] | None:
    """``(operands, why)`` when ``node``'s result differs in JAX for some inputs: an integer floor
    division by a divisor that may be zero, a cast of a floating value to an integer dtype, or a
    call of a callable held in an attribute (``self.op(a, b)``); None otherwise."""
    division = _floor_division(analysis, node)
    if division is not None:
        if all(_may_be_integer(analysis, operand) for operand in division) and not _nonzero_constant(division[1]):
            return list(division), _ZERO_DIVISOR
        return None
    if type(node) is not cst.Call:
        return None
    cast = _float_to_int_cast(analysis, node)
    if cast:
        return [cast[0]], f"a {cast[1]} value is cast to {cast[2]}: {_FLOAT_TO_INT}"
    stored = _stored_callables(analysis).get(id(node))
    if stored:
        return [a.value for a in node.args], (
            f"`{_code(node.func)}` is a callable held in an attribute ({stored}): jaxify cannot check it, and a "
            "NumPy function there would be handed jax arrays")
    return None


def _floor_division(analysis, node: cst.CSTNode) -> tuple[cst.CSTNode, cst.CSTNode] | None:
    kind = type(node)  # asked of every node: `is` costs far less than isinstance on LibCST's classes
    if kind is cst.BinaryOperation and type(node.operator) is cst.FloorDivide:
        return node.left, node.right
    if kind is cst.AugAssign and type(node.operator) is cst.FloorDivideAssign:
        return node.target, node.value
    if kind is cst.Call and analysis.qualified_name(node.func) in ("numpy.floor_divide", "numpy.divmod"):
        positional = [a.value for a in node.args if a.keyword is None]
        return (positional[0], positional[1]) if len(positional) >= 2 else None
    return None


def _may_be_integer(analysis, expr: cst.CSTNode) -> bool:
    from jaxify.analysis import Kind

    if analysis.kind_of(expr) is Kind.STATIC:
        return False  # Python ints (sizes, counts): Python's own `//`, unchanged by the rewrite
    dtype = analysis.dtype_of(expr)
    return dtype is None or numpy.dtype(dtype).kind in "iub"


def _nonzero_constant(expr: cst.CSTNode) -> bool:
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    if isinstance(expr, (cst.Integer, cst.Float)):
        return float(expr.value.replace("_", "")) != 0
    return False


def _float_to_int_cast(analysis, call: cst.Call) -> tuple[cst.CSTNode, str, str] | None:
    """``(source, its dtype, the integer dtype)`` of ``x.astype(np.int64)`` or ``np.asarray(x, dtype=int)``
    unless ``x`` is known to be integral or boolean."""
    qualified = analysis.qualified_name(call.func) or ""
    positional = [a.value for a in call.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    if isinstance(call.func, cst.Attribute) and not qualified and call.func.attr.value == "astype":
        source, target = call.func.value, (positional[0] if positional else keywords.get("dtype"))
    elif qualified in ("numpy.asarray", "numpy.array", "numpy.asanyarray") and positional:
        source, target = positional[0], keywords.get("dtype", positional[1] if len(positional) > 1 else None)
    else:
        return None
    target_dtype = analysis.dtypes.parse_dtype(target) if target is not None else None
    if target_dtype is None or numpy.dtype(target_dtype).kind not in "iu":
        return None
    source_dtype = _source_dtype(analysis, source, call)
    if source_dtype is not None:
        return (source, source_dtype, target_dtype) if numpy.dtype(source_dtype).kind in "fc" else None
    # not known to be integral: callers may pass floats (the input contract assumes numbers, not integers)
    return source, "floating" if _seen_floating(analysis, source) else "possibly floating", target_dtype


def _source_dtype(analysis, expr: cst.CSTNode, call: cst.Call, depth: int = 0) -> str | None:
    """The dtype of ``expr``, also through names converted with ``dtype=`` and through integer
    arithmetic and NumPy calls on operands of one known dtype kind (``np.abs(i32)``)."""
    found = analysis.dtype_of(expr) or _converted_dtype(analysis, expr, call)
    if found is not None or depth > 3:
        return found
    if isinstance(expr, cst.Integer):
        return "int64"
    parts = []
    if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Divide):
        parts = [expr.left, expr.right]
    elif isinstance(expr, cst.UnaryOperation):
        parts = [expr.expression]
    elif isinstance(expr, cst.Call) and (analysis.qualified_name(expr.func) or "").startswith("numpy.") \
            and (analysis.qualified_name(expr.func) or "").removeprefix("numpy.") not in _FLOATING_FUNCTIONS:
        parts = [a.value for a in expr.args if a.keyword is None]
    kinds = [_source_dtype(analysis, part, call, depth + 1) for part in parts]
    if kinds and all(k is not None and numpy.dtype(k).kind in "iub" for k in kinds):
        return kinds[0]
    return None


def _seen_floating(analysis, expr: cst.CSTNode, depth: int = 0) -> bool:
    """``x / w``, ``np.floor(x)``: a value whose every form is floating, whatever the inputs
    (following names a few bindings deep)."""
    if isinstance(expr, cst.Name) and depth < 3:
        scope = analysis.collector.owner.get(expr)
        bindings = scope.bindings.get(expr.value, []) if scope is not None and expr.value not in scope.params else []
        return bool(bindings) and all(b.source is not None and not b.path and _seen_floating(
            analysis, b.source, depth + 1) for b in bindings)
    if isinstance(expr, cst.BinaryOperation):
        return isinstance(expr.operator, cst.Divide) or isinstance(expr.left, cst.Float) or isinstance(
            expr.right, cst.Float) or _seen_floating(analysis, expr.left, depth) or _seen_floating(
            analysis, expr.right, depth)
    if isinstance(expr, cst.UnaryOperation):
        return _seen_floating(analysis, expr.expression, depth)
    if isinstance(expr, cst.Call):
        member = (analysis.qualified_name(expr.func) or "").removeprefix("numpy.")
        return member in _FLOATING_FUNCTIONS
    return isinstance(expr, cst.Float)


def _stored_callables(analysis) -> dict[int, str]:
    """Calls ``self.op(...)`` in a class's methods where ``op`` is no method of the class but an
    attribute the class assigns (``self.op = np.subtract``): id(call) -> the assignment."""
    return analysis.derived(_find_stored_callables)


def _find_stored_callables(analysis) -> dict[int, str]:
    found = {}
    walk = analysis.tree.walk  # the module's walk without rebuilding, shared with the other analyses
    for node in walk(analysis.module):
        if type(node) is not cst.ClassDef:
            continue
        methods = {s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)}
        assigned = {}
        for inner in walk(node.body):
            if isinstance(inner, cst.Assign):
                for target in inner.targets:
                    if _self_attribute(target.target) and target.target.attr.value not in methods:
                        assigned.setdefault(target.target.attr.value, f"`{_code(inner)}`")
        for inner in walk(node.body):
            if isinstance(inner, cst.Call) and _self_attribute(inner.func) and inner.func.attr.value in assigned:
                found[id(inner)] = assigned[inner.func.attr.value]
    return found


def _self_attribute(expr: cst.CSTNode) -> bool:
    return isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self"


def jit_differences(analysis, function: cst.FunctionDef) -> list[tuple[cst.CSTNode, str]]:
    """Why ``function`` must not be jitted although it traces: an operation whose JAX result differs
    from NumPy's for some inputs (a jitted function turns even its parameters into jax arrays)."""
    found = []
    for node in _walk(function.body):
        edge = edge_operation(analysis, node) if type(node) in EDGE_NODES else None
        if edge is not None and not any(_computed_by_jax(analysis, operand) for operand in edge[0]):
            found.append((node, edge[1]))  # an operand already computed by JAX has JAX's meaning eagerly too
    return found


def _computed_by_jax(analysis, expr: cst.CSTNode, depth: int = 0) -> bool:
    """Whether a JAX call takes part in computing ``expr`` (through names a few bindings deep)."""
    for node in _walk(expr):
        if isinstance(node, cst.Call) and (analysis.qualified_name(node.func) or "").split(".")[0] == "jax":
            return True
        if isinstance(node, cst.Name) and depth < 3:
            scope = analysis.collector.owner.get(node)
            for binding in (scope.bindings.get(node.value, []) if scope is not None else []):
                if binding.source is not None and binding.source is not expr and _computed_by_jax(
                        analysis, binding.source, depth + 1):
                    return True
    return False


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


def _converted_dtype(analysis, value: cst.CSTNode, exclude: cst.CSTNode | None = None) -> str | None:
    """The dtype every binding of the array ``value`` reads names with ``dtype=`` (``x[i]`` after
    ``x = np.asarray(x, dtype=float)``); None when any binding does not say. ``exclude``: the call
    being judged, whose own binding (``x = np.asarray(x, dtype=int)``) says nothing about its input."""
    while isinstance(value, cst.Subscript):
        value = value.value
    if not isinstance(value, cst.Name):
        return None
    scope = analysis.collector.owner.get(value)
    found = set()
    for binding in (scope.bindings.get(value.value, []) if scope is not None else []):
        call = binding.source
        if call is exclude and exclude is not None:
            continue
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
    # only an index the loop varies is traced (`centers.shape[0]` reads a host tuple at trace time)
    varying = {n.value for t in _walk(loop) if isinstance(t, (cst.AssignTarget, cst.AugAssign, cst.For))
               for n in _walk(t.target) if isinstance(n, cst.Name)}
    for node in _walk(loop.body):
        if isinstance(node, cst.Call) and (analysis.qualified_name(node.func) or "").startswith("math.") and not all(
                analysis.kind_of(arg.value) is Kind.STATIC for arg in node.args):  # math.sqrt(2.0): a constant
            blockers.append(Blocker(node, f"`{_code(node)}` needs a concrete Python float; on a traced value it "
                                          "raises (use the jnp function instead)"))
        elif isinstance(node, cst.Subscript) and any(
            isinstance(n, cst.Name) and n.value in varying for element in node.slice for n in _walk(element)
        ):
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

"""Facts about single expressions that control-flow rewrites need: is it elementwise, which array
operands decide its shape, does it surely produce a scalar, is it free of side effects, and does
it contain an operation whose gradient is not finite on part of its input domain.

These facts are syntactic plus a qualified-name lookup; the lookup is passed in so the same code
works on nodes a codemod has already rebuilt (which carry no metadata of their own).
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.effects import SIDE_EFFECTS, Effect, effects_of
from jaxify.analysis.tree import visit, walk

QualifiedName = Callable[[cst.CSTNode], "str | None"]

ARRAY_NAMESPACES = ("numpy.", "jax.numpy.")

# Functions whose output element i depends only on input element i (after broadcasting): their
# output shape is the broadcast of their array arguments.
ELEMENTWISE = frozenset(
    """abs absolute add array asarray arccos arccosh arcsin arcsinh arctan arctan2 arctanh cbrt ceil clip conj
    conjugate copysign cos cosh deg2rad degrees divide equal exp exp2 expm1 fabs float_power floor
    floor_divide fmax fmin fmod greater greater_equal heaviside hypot imag isclose isfinite isinf
    isnan less less_equal log log10 log1p log2 logaddexp logaddexp2 logical_and logical_not
    logical_or logical_xor maximum minimum mod multiply nan_to_num negative nextafter not_equal
    positive power rad2deg radians real reciprocal remainder rint round sign signbit sin sinc sinh
    sqrt square subtract tan tanh true_divide trunc where""".split()
)

# Reductions that return a scalar when called with the array alone (no axis).
FULL_REDUCTIONS = frozenset(
    """all amax amin any argmax argmin count_nonzero max mean median min nanmax nanmean nanmin
    nanstd nansum nanvar prod ptp std sum trace var vdot""".split()
)
NORMS = frozenset({"numpy.linalg.norm", "jax.numpy.linalg.norm"})

# Functions whose gradient is infinite or NaN somewhere their argument can go, with an argument
# value at which both the function and its gradient are finite (the double-where stand-in).
# Python ints, so the stand-in never changes the dtype (`n // jnp.where(d != 0, d, 1)` stays int).
DOMAIN_SAFE_VALUE = {
    "log": "1", "log2": "1", "log10": "1", "log1p": "0", "sqrt": "1", "cbrt": "1",
    "reciprocal": "1", "arcsin": "0", "arccos": "0", "arctanh": "0", "arccosh": "2",
    "power": "1", "float_power": "1",
}
DIVISIONS = (cst.Divide, cst.FloorDivide, cst.Modulo)

# What blocks running a call where the original did not (both branches of an `if`): side effects,
# and values a traced computation cannot give.
EVALUATED_ANYWAY_BLOCKERS = SIDE_EFFECTS | {Effect.CONCRETE}

NUMBER_LITERALS = (cst.Integer, cst.Float, cst.Imaginary)


def code_of(node: cst.CSTNode | None) -> str:
    """The source text of ``node`` ("" for None): the one node-to-source helper."""
    return cst.Module([]).code_for_node(node) if node is not None else ""


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)


def names_in(node: cst.CSTNode) -> set[str]:
    """Every name ``node`` mentions (reads, writes, attributes' roots, nested functions too)."""
    collector = _Names()
    visit(None, node, collector)
    return collector.found


def string_literal(text: str) -> cst.SimpleString:
    """A double-quoted literal for ``text`` where Python's repr would pick single quotes."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return cst.SimpleString(literal)


def unparenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[], rpar=[]) if node.lpar else node


def is_literal(node: cst.CSTNode) -> bool:
    if isinstance(node, NUMBER_LITERALS):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return is_literal(node.expression)
    return isinstance(node, cst.Name) and node.value in ("True", "False")


def numeric_display(node: cst.CSTNode) -> bool:
    """A tuple or list display of number literals of one kind (all integers or all floats), or of
    such displays, all of one length: ``(-1, 0, 1)``, ``((0, 1), (1, 0))``. ``jnp.asarray`` holds
    exactly these values, with the kind Python's own arithmetic gives them."""
    kinds: set[type] = set()
    lengths: set[int] = set()
    leaf_depths: set[int] = set()  # one depth for every number: no ragged nesting

    def walk(item: cst.CSTNode, depth: int) -> bool:
        if isinstance(item, (cst.Tuple, cst.List)):
            if not item.elements or any(isinstance(e, (cst.StarredElement,)) for e in item.elements):
                return False
            if depth:
                lengths.add(len(item.elements))
            return all(walk(element.value, depth + 1) for element in item.elements)
        if isinstance(item, cst.UnaryOperation) and isinstance(item.operator, (cst.Minus, cst.Plus)):
            item = item.expression
        if not isinstance(item, (cst.Integer, cst.Float)) or not depth:
            return False
        kinds.add(type(item))
        leaf_depths.add(depth)
        return True

    return walk(node, 0) and len(kinds) == 1 and len(lengths) <= 1 and len(leaf_depths) == 1


def literal_number(expr: cst.BaseExpression):
    """The value of a number or bool literal (``-3``, ``2.5``, ``True``), else None."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return expr.evaluated_value
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = literal_number(expr.expression)
        return None if inner is None else -inner
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return expr.value == "True"
    return None


ORDERINGS = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual, cst.Equal, cst.NotEqual)


def split_chain(test: cst.Comparison) -> list[cst.Comparison] | None:
    """``a <= v < b`` as its links ``[a <= v, v < b]``, to be joined with ``jnp.logical_and``.

    Python evaluates a middle operand once and a link only when the links before it hold: splitting
    is exact where the middle operands are pure (no calls: evaluated twice, they give the same value)
    and every operator an ordering or equality (``in`` / ``is`` test containers and identity); a
    link computed where Python would skip it is discarded by the `and`. None otherwise."""
    operands = [test.left, *(target.comparator for target in test.comparisons)]
    if any(not isinstance(target.operator, ORDERINGS) for target in test.comparisons) or any(
        m.findall(middle, m.Call()) for middle in operands[1:-1]
    ):
        return None
    return [cst.Comparison(left, [target]) for left, target in zip(operands, test.comparisons)]


def function_name(qualified: str | None) -> str | None:
    """``jax.numpy.log`` -> ``log`` when the function is in numpy / jax.numpy, else None."""
    if qualified is None:
        return None
    for prefix in ARRAY_NAMESPACES:
        if qualified.startswith(prefix) and "." not in qualified[len(prefix):]:
            return qualified[len(prefix):]
    return None


def at_update_base(call: cst.Call) -> cst.BaseExpression | None:
    """``x.at[i].set(v)`` -> ``x``: the result has ``x``'s shape."""
    func = call.func
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Subscript)
        and isinstance(func.value.value, cst.Attribute)
        and func.value.value.attr.value == "at"
        and func.attr.value in ("set", "add", "subtract", "multiply", "divide", "power", "min", "max", "apply")
    ):
        return func.value.value.value
    return None


class ShapeOperands:
    """The array operands an elementwise expression broadcasts over, keyed by their source text.

    ``operands(expr)`` returns None when ``expr`` is not elementwise (a matmul, a reduction, a
    call jaxify does not know): its shape cannot be told from its operands. ``is_static(node)``
    says when a name or attribute holds a static Python value, which broadcasts like a scalar.
    """

    def __init__(self, qualified_name: QualifiedName, is_static: Callable[[cst.CSTNode], bool]):
        self.qualified_name = qualified_name
        self.is_static = is_static

    def operands(self, expr: cst.BaseExpression) -> frozenset[str] | None:
        if is_literal(expr):
            return frozenset()
        if isinstance(expr, cst.Name) and expr.value == "None":
            return None
        if isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
            return frozenset() if self.is_static(expr) else frozenset({code_of(unparenthesized(expr))})
        if isinstance(expr, cst.BinaryOperation):
            if isinstance(expr.operator, cst.MatrixMultiply):
                return None
            return self._union([expr.left, expr.right])
        if isinstance(expr, cst.UnaryOperation):
            return self.operands(expr.expression)
        if isinstance(expr, cst.Comparison):
            return self._union([expr.left, *(target.comparator for target in expr.comparisons)])
        if isinstance(expr, cst.BooleanOperation):
            return self._union([expr.left, expr.right])
        if isinstance(expr, cst.Call):
            return self._call_operands(expr)
        return None

    def _call_operands(self, call: cst.Call) -> frozenset[str] | None:
        base = at_update_base(call)
        if base is not None:
            return self.operands(base)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "astype":
            return self.operands(func.value)
        if function_name(self.qualified_name(func)) in ELEMENTWISE:
            return self._union([arg.value for arg in call.args if not _is_dtype_keyword(arg)])
        return None

    def _union(self, parts: list[cst.BaseExpression]) -> frozenset[str] | None:
        found: set[str] = set()
        for part in parts:
            keys = self.operands(part)
            if keys is None:
                return None
            found |= keys
        return frozenset(found)


def _is_dtype_keyword(arg: cst.Arg) -> bool:
    return arg.keyword is not None and arg.keyword.value in ("dtype", "out")


def is_scalar_reduction(call: cst.Call, qualified_name: QualifiedName) -> bool:
    """``jnp.sum(x)``, ``x.max()``, ``jnp.linalg.norm(x)``: a reduction over every axis."""
    if any(arg.keyword is not None and arg.keyword.value in ("axis", "keepdims", "ord") for arg in call.args):
        return False
    qualified = qualified_name(call.func)
    if qualified in NORMS:
        return len(call.args) == 1
    if function_name(qualified) in FULL_REDUCTIONS:
        return len([arg for arg in call.args if arg.keyword is None]) == 1
    func = call.func
    return (
        qualified is None
        and isinstance(func, cst.Attribute)
        and func.attr.value in FULL_REDUCTIONS
        and not call.args
    )


def is_bool_valued(expr: cst.BaseExpression, qualified_name: QualifiedName) -> bool:
    """Comparisons, logical operations and predicates: values that are True or False."""
    if isinstance(expr, cst.Comparison):
        return True
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        return True
    if isinstance(expr, cst.BooleanOperation):
        return is_bool_valued(expr.left, qualified_name) and is_bool_valued(expr.right, qualified_name)
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return True
    if isinstance(expr, cst.Call):
        name = function_name(qualified_name(expr.func))
        if name in ("any", "all", "isnan", "isinf", "isfinite", "isclose", "allclose", "signbit", "array_equal",
                    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                    "logical_and", "logical_or", "logical_not", "logical_xor"):
            return True
        func = expr.func
        return qualified_name(func) is None and isinstance(func, cst.Attribute) and func.attr.value in ("any", "all")
    return False


def domain_unsafe_operands(expr: cst.BaseExpression, qualified_name: QualifiedName) -> list[tuple[cst.BaseExpression, str]]:
    """The sub-expressions whose value must be kept in a safe domain for finite gradients, with
    the stand-in value: arguments of log/sqrt/arcsin/..., divisors, bases of fractional powers."""
    found: list[tuple[cst.BaseExpression, str]] = []
    for node in walk(expr):
        if type(node) is cst.Call:
            name = function_name(qualified_name(node.func))
            if name in DOMAIN_SAFE_VALUE and node.args and not (
                    name in ("power", "float_power") and len(node.args) > 1 and _is_whole_exponent(node.args[1].value)):
                found.append((node.args[0].value, DOMAIN_SAFE_VALUE[name]))
        elif type(node) is cst.BinaryOperation:
            if isinstance(node.operator, DIVISIONS) and not is_literal(node.right):
                found.append((node.right, "1"))
            elif isinstance(node.operator, cst.Power) and not _is_whole_exponent(node.right) and not is_literal(node.left):
                found.append((node.left, "1"))
    return found


def _is_whole_exponent(node: cst.BaseExpression) -> bool:
    """x ** 2 has a finite gradient everywhere; x ** 0.5 and x ** -1 do not."""
    return isinstance(node, cst.Integer)


def pure_call_target(
    call: cst.Call, qualified_name: QualifiedName, is_pure_function: Callable[[str], bool] = lambda name: False
) -> tuple[bool, str]:
    """(may the call run where the original did not run it, the name it calls for messages): it has
    no side effects and needs no concrete value (see :mod:`jaxify.analysis.effects`)."""
    return not effects_of(call, qualified_name, is_pure_function) & EVALUATED_ANYWAY_BLOCKERS, code_of(call.func)


INDEX_ERROR_CATCHERS = frozenset({"IndexError", "LookupError", "Exception", "BaseException"})


def catches_index_error(handler: cst.ExceptHandler) -> bool:
    """A handler that would catch NumPy's IndexError: jax clamps indices and never raises, so
    code under it relies on an error that a rewrite would silently remove."""
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for entry in types:
        expr = entry.value if isinstance(entry, cst.Element) else entry
        name = expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", None)
        if name in INDEX_ERROR_CATCHERS:
            return True
    return False

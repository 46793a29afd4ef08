"""Element dtypes of expressions, where the code makes them certain, under NumPy's own rules
(float64 and int64 defaults, NEP 50 weak Python scalars).

Promotion is delegated to the installed NumPy (``ufunc.resolve_dtypes``), so the analysis never
keeps its own promotion table. Unknown stays unknown: ``None``.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
import numpy

from jaxify.analysis.names import QualifiedNames, array_api_member
from jaxify.analysis.ranks import copies_itself, updates_itself
from jaxify.analysis.numpy_api import SCALAR_TYPES, numpy_function
from jaxify.analysis.scopes import ScopeCollector

# A Python scalar literal: it takes the dtype of the array it meets (NEP 50 "weak" scalar).
WEAK = {int: "int64", float: "float64", complex: "complex128", bool: "bool"}

_FLOAT_DEFAULT = frozenset(
    {"zeros", "ones", "empty", "eye", "identity", "linspace", "logspace", "geomspace"}
)
_INT_RANDOM = frozenset({"random.randint", "random.random_integers", "random.poisson", "random.binomial",
                         "random.geometric", "random.hypergeometric", "random.negative_binomial"})
_SAME_AS_FIRST = frozenset(
    {"copy", "asarray", "array", "ravel", "reshape", "transpose", "squeeze", "expand_dims", "flip",
     "roll", "sort", "abs", "absolute", "negative", "cumsum", "cumprod", "max", "min", "amax", "amin",
     "clip", "diag", "tril", "triu", "tile", "repeat", "atleast_1d", "atleast_2d", "broadcast_to",
     "zeros_like", "ones_like", "empty_like", "full_like", "flatten", "real", "conj", "swapaxes",
     "moveaxis", "diff", "round", "around", "nan_to_num", "median", "percentile", "quantile",
     "maximum", "minimum"}
)
_FLOAT_RESULT = frozenset({"mean", "std", "var", "average", "nanmean", "nanstd", "nanvar"})
_INT_RESULT = frozenset({"argmax", "argmin", "argsort", "searchsorted", "count_nonzero", "digitize"})
_BOOL_RESULT = frozenset({"isnan", "isinf", "isfinite", "any", "all", "isclose", "logical_and",
                          "logical_or", "logical_not", "array_equal", "allclose"})
_PROMOTE_ALL = frozenset({"concatenate", "stack", "vstack", "hstack", "column_stack", "dstack"})
_OPERATOR_UFUNC = {
    cst.Add: "add", cst.Subtract: "subtract", cst.Multiply: "multiply", cst.Divide: "true_divide",
    cst.FloorDivide: "floor_divide", cst.Modulo: "remainder", cst.Power: "power",
    cst.MatrixMultiply: "matmul", cst.BitAnd: "bitwise_and", cst.BitOr: "bitwise_or",
    cst.BitXor: "bitwise_xor", cst.LeftShift: "left_shift", cst.RightShift: "right_shift",
}
_BUILTIN_TYPES = {"int": "int64", "float": "float64", "bool": "bool", "complex": "complex128"}


class Dtypes:
    """``dtype_of(expr)``: a NumPy dtype name, or None when the code does not make it certain."""

    def __init__(self, collector: ScopeCollector, names: QualifiedNames):
        self.collector = collector
        self.names = names
        self._busy: set[int] = set()
        # Real code rebinds the same names many times (`norm = ...` five times in one function);
        # without a memo every use re-evaluates every binding, exponentially. A value computed
        # while a cycle was cut is at most less certain (None), never wrong, so caching it is safe.
        self._memo: dict[cst.CSTNode, object] = {}

    def dtype_of(self, expr: cst.CSTNode) -> str | None:
        typed = self._typed(expr)
        if typed is None:
            return None
        return WEAK[typed] if isinstance(typed, type) else typed

    # A "typed" value is a dtype name (str) or a Python scalar type (weak).
    def _typed(self, expr: cst.CSTNode):
        if expr in self._memo:
            return self._memo[expr]
        if id(expr) in self._busy:
            return None
        self._busy.add(id(expr))
        try:
            handler = getattr(self, f"_of_{type(expr).__name__}", None)
            typed = handler(expr) if handler is not None else None
        finally:
            self._busy.discard(id(expr))
        self._memo[expr] = typed
        return typed

    def _of_Integer(self, expr):
        return int

    def _of_Float(self, expr):
        return float

    def _of_Imaginary(self, expr):
        return complex

    def _of_Name(self, expr: cst.Name):
        if expr.value in ("True", "False"):
            return bool
        scope = self.collector.owner.get(expr)
        while scope is not None and expr.value not in scope.bindings and expr.value not in scope.params:
            scope = scope.parent
        if scope is None:
            return None
        if expr.value in scope.params:
            # a parameter used as a range bound or a shape is a Python int; otherwise the
            # dtype is the caller's business
            uses = scope.evidence.get(expr.value, [])
            return int if any(e.integral for e in uses) else None
        found = set()
        for binding in scope.bindings[expr.value]:
            if binding.source is None or binding.path:
                return None
            if self._keeps_own_dtype(binding.source, expr.value):
                continue  # `x = x.at[i].set(v)` keeps the dtype the other bindings give `x`
            found.add(self._typed(binding.source))
        return found.pop() if len(found) == 1 else None

    def _keeps_own_dtype(self, value: cst.CSTNode, name: str) -> bool:
        """``x.at[i].set(v)`` (any ``.at`` method), ``x.copy()``, ``jnp.asarray(x)`` with no dtype."""
        if updates_itself(value, name) or copies_itself(value, name):
            return True
        if not (isinstance(value, cst.Call) and len(value.args) == 1 and m.matches(value.args[0], m.Arg(m.Name(name), keyword=None, star=""))):
            return False
        return array_api_member(self.names.qualified_name(value.func)) in ("asarray", "array", "copy")

    def _of_Subscript(self, expr: cst.Subscript):
        base = self._typed(expr.value)
        return base if isinstance(base, str) else None

    def _of_Attribute(self, expr: cst.Attribute):
        if expr.attr.value in ("T", "mT", "flat"):
            return self._typed(expr.value)
        return None

    def _of_UnaryOperation(self, expr: cst.UnaryOperation):
        if isinstance(expr.operator, cst.Not):
            return "bool"
        return self._typed(expr.expression)

    def _of_Comparison(self, expr):
        return "bool"

    def _of_BinaryOperation(self, expr: cst.BinaryOperation):
        ufunc = _OPERATOR_UFUNC.get(type(expr.operator))
        return promote(ufunc, [self._typed(expr.left), self._typed(expr.right)])

    def _of_IfExp(self, expr: cst.IfExp):
        body, orelse = self._typed(expr.body), self._typed(expr.orelse)
        return body if body == orelse else None

    def _of_List(self, expr):
        return promote("add", [self._typed(e.value) for e in expr.elements]) if expr.elements else None

    _of_Tuple = _of_List

    def parse_dtype(self, expr: cst.CSTNode) -> str | None:
        """The dtype an argument like ``float``, ``np.float32``, ``"int32"`` or ``x.dtype`` names."""
        if isinstance(expr, cst.Name) and expr.value in _BUILTIN_TYPES and self.names.qualified_name(expr) in (
            None, f"builtins.{expr.value}",
        ):
            return _BUILTIN_TYPES[expr.value]
        member = array_api_member(self.names.qualified_name(expr))
        if member is not None:
            try:
                return numpy.dtype(getattr(numpy, member)).name
            except (AttributeError, TypeError):
                return None
        if isinstance(expr, cst.SimpleString):
            try:
                return numpy.dtype(expr.evaluated_value).name
            except TypeError:
                return None
        if isinstance(expr, cst.Attribute) and expr.attr.value == "dtype":
            found = self._typed(expr.value)
            return found if isinstance(found, str) else None
        return None

    def _of_Call(self, call: cst.Call):
        args = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        if "dtype" in keywords:
            return self.parse_dtype(keywords["dtype"])
        qualified = self.names.qualified_name(call.func)
        member = array_api_member(qualified)
        if member is not None:
            return self._numpy_result(member, args)
        if qualified is not None and qualified.startswith("builtins."):
            name = qualified[len("builtins."):]
            return {"int": int, "float": float, "bool": bool, "complex": complex, "len": int}.get(name)
        if isinstance(call.func, cst.Attribute) and qualified is None:
            return self._method_result(call.func.attr.value, call.func.value, args)
        return None

    def _numpy_result(self, member: str, args: list):
        first = self._typed(args[0]) if args else None
        if member in SCALAR_TYPES:
            return numpy.dtype(getattr(numpy, member)).name
        if member in _FLOAT_DEFAULT or (member.startswith("random.") and member not in _INT_RANDOM):
            return "float64" if member != "random.choice" else None
        if member in _INT_RANDOM:
            return "int64"
        if member == "full" and len(args) > 1:
            return as_dtype(self._typed(args[1]))
        if member == "arange":
            return as_dtype(promote("add", [self._typed(a) for a in args]))
        if member in _PROMOTE_ALL and args and isinstance(args[0], (cst.List, cst.Tuple)):
            return as_dtype(promote("add", [self._typed(e.value) for e in args[0].elements]))
        if member in ("where",) and len(args) == 3:
            return as_dtype(promote("add", [self._typed(args[1]), self._typed(args[2])]))
        if member in ("dot", "matmul", "inner", "outer", "vdot", "cross", "kron", "tensordot"):
            return as_dtype(promote("multiply", [self._typed(a) for a in args[:2]]))
        return self._reduction_or_ufunc(member, first, args)

    def _reduction_or_ufunc(self, member: str, first, args: list):
        if member in _SAME_AS_FIRST:
            return as_dtype(first)
        if member in _INT_RESULT:
            return "int64"
        if member in _BOOL_RESULT:
            return "bool"
        if member in ("sum", "prod", "nansum", "nanprod", "trace"):
            return _accumulator(as_dtype(first))
        if member in _FLOAT_RESULT:
            return promote("true_divide", [first, first])
        ufunc = numpy_function(member)
        if isinstance(ufunc, numpy.ufunc) and ufunc.nout == 1 and len(args) == ufunc.nin:
            return as_dtype(promote(member, [self._typed(a) for a in args]))
        return None

    def _method_result(self, method: str, base: cst.CSTNode, args: list):
        if method == "astype" and args:
            return self.parse_dtype(args[0])
        if isinstance(base, cst.Subscript) and m.matches(base.value, m.Attribute(attr=m.Name("at"))):
            return self._typed(base.value.value)  # `x.at[i].set(v)` casts `v` to the dtype of `x`
        base_type = self._typed(base)
        if not isinstance(base_type, str):
            return None
        if method in ("copy", "reshape", "ravel", "flatten", "transpose", "squeeze", "max", "min",
                      "cumsum", "cumprod", "clip", "round", "swapaxes", "repeat"):
            return base_type
        if method in ("sum", "prod", "trace"):
            return _accumulator(base_type)
        if method in ("mean", "std", "var"):
            return promote("true_divide", [base_type, base_type])
        if method in ("argmax", "argmin", "argsort", "nonzero"):
            return "int64"
        if method in ("any", "all"):
            return "bool"
        return None


def as_dtype(typed) -> str | None:
    if typed is None:
        return None
    return WEAK[typed] if isinstance(typed, type) else typed


def _accumulator(dtype: str | None) -> str | None:
    """NumPy's sum/prod of bool and small ints accumulate in int64 (uint64 for unsigned)."""
    if dtype is None:
        return None
    kind = numpy.dtype(dtype).kind
    if kind == "b" or (kind == "i" and numpy.dtype(dtype).itemsize < 8):
        return "int64"
    if kind == "u" and numpy.dtype(dtype).itemsize < 8:
        return "uint64"
    return dtype


def promote(ufunc_name: str | None, operands: list):
    """The result of ``ufunc_name`` on operands (dtype names or weak Python types), per NumPy.

    A binary ufunc over more than two operands folds left (the dtype of ``[1, 2.0, 3]``).
    """
    if ufunc_name is None or not operands or any(o is None for o in operands):
        return None
    ufunc = getattr(numpy, ufunc_name, None)
    if not isinstance(ufunc, numpy.ufunc) or ufunc.nout != 1:
        return None
    if ufunc.nin == 2 and len(operands) == 1:
        return operands[0]
    if ufunc.nin == 2 and len(operands) > 2:
        result = operands[0]
        for operand in operands[1:]:
            result = promote(ufunc_name, [result, operand])
        return result
    if len(operands) != ufunc.nin:
        return None
    try:
        if all(isinstance(o, type) for o in operands):
            # Python scalars among themselves stay Python scalars: 1 / 2 is a float
            sample = {int: 1, float: 1.0, complex: 1j, bool: True}
            python_type = type(ufunc(*[sample[o] for o in operands]).item())
            return python_type if python_type in WEAK else None
        inputs = tuple(numpy.dtype(o) if isinstance(o, str) else o for o in operands)
        return ufunc.resolve_dtypes(inputs + (None,))[ufunc.nin].name
    except (TypeError, ValueError, numpy.exceptions.DTypePromotionError):
        return None

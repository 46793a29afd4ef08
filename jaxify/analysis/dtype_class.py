"""The dtype class of every value: which values are numeric arrays jax.numpy can hold.

jax arrays hold numbers only (bool, int, uint, float, complex in native byte order). NumPy also
holds strings, bytes, Python objects (``Decimal``, ragged lists), datetimes, records, masked
values, and NumPy takes Python lists and tuples wherever it takes an array. Code that computes on
those looks like array code but cannot move to ``jax.numpy``: ``jnp.array(["a"])``,
``jnp.sum([1, 2])``, ``jnp.prod(x.shape)`` and ``x.at[i].set("s")`` all raise, and a masked
array converted by ``jnp.asarray`` silently loses its mask.

:class:`ValueClasses` gives each expression one :class:`Verdict`: ``numeric`` (provably numbers:
literals, arrays created with a numeric dtype, conversions with ``dtype=float``, and what is
computed from them), one of the non-numeric classes, ``input`` (a parameter whose callers may pass
anything: see :mod:`jaxify.analysis.input_contract`), or ``unknown``. The classes flow through
names, arithmetic, indexing, methods, NumPy calls and local helpers; a name's class is the join of
everything bound to it. The join keeps the worst: a non-numeric class beats ``input``, which beats
``unknown``, which beats ``numeric``.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import numpy

from jaxify.analysis.names import array_api_member, is_numpy
from jaxify.analysis.scopes import ITER

NUMERIC, INPUT, UNKNOWN = "numeric", "input", "unknown"
STRING, OBJECT, DATETIME, RECORD, MASKED = "string", "object", "datetime", "record", "masked"
MATRIX, SEQUENCE, UNPROVEN, BYTE_ORDER, EXTENDED = "matrix", "sequence", "unproven", "byte-order", "extended"

# What a value of each non-numeric class is, for messages ("`x` holds ...").
DESCRIPTION = {
    STRING: "strings (jax arrays hold numbers only)",
    OBJECT: "Python objects (dtype=object: Decimal, Fraction, ragged rows); jax arrays hold numbers only",
    DATETIME: "datetimes or time spans (datetime64/timedelta64), which jax arrays cannot hold",
    RECORD: "records with named fields (a structured dtype), which jax arrays cannot hold",
    MASKED: "a masked array (np.ma): jax.numpy would drop the mask",
    MATRIX: "an np.matrix, whose `*` and reductions differ from a jax array's",
    SEQUENCE: "a Python list or tuple, which jax.numpy functions reject",
    UNPROVEN: "a NumPy array built from values not known to be numbers (strings or objects give a "
              "non-numeric array)",
    BYTE_ORDER: "an array in non-native byte order (such as '>f8'), which jax.numpy rejects",
    EXTENDED: "extended precision (np.longdouble), which jax.numpy does not have",
}
NON_NUMERIC = frozenset(DESCRIPTION)
_RANK = {NUMERIC: 0, UNKNOWN: 1, INPUT: 2}  # every non-numeric class ranks 3

# NumPy namespaces whose values are never plain numeric arrays.
_NAMESPACE_CLASS = (
    ("ma.", MASKED), ("char.", STRING), ("strings.", STRING), ("rec.", RECORD), ("core.records.", RECORD),
    ("lib.recfunctions.", RECORD), ("polynomial.", OBJECT), ("matrixlib.", MATRIX),
)
_MEMBER_CLASS = {
    "datetime64": DATETIME, "timedelta64": DATETIME, "busday_offset": DATETIME, "datetime_as_string": STRING,
    "matrix": MATRIX, "asmatrix": MATRIX, "bmat": MATRIX, "longdouble": EXTENDED, "clongdouble": EXTENDED,
    "genfromtxt": RECORD, "recfromcsv": RECORD, "recfromtxt": RECORD, "fromregex": RECORD,
    "roots": NUMERIC, "polyfit": NUMERIC, "polyval": NUMERIC,
}
# Calls whose result is made from their first argument's elements (dtype= decides when given).
_CONVERSIONS = frozenset({
    "array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "atleast_1d", "atleast_2d",
    "atleast_3d", "copy", "fromiter", "stack", "vstack", "hstack", "column_stack", "concatenate", "block",
})
# Creation from a shape: numeric unless dtype= (or a fill value) says otherwise.
_FROM_SHAPE = frozenset({
    "zeros", "ones", "empty", "eye", "identity", "arange", "linspace", "logspace", "geomspace", "indices",
    "tri", "frombuffer", "fromfile", "fromstring", "loadtxt", "meshgrid", "ogrid", "mgrid",
})
_DTYPE_POSITION = {"array": 1, "asarray": 1, "zeros": 1, "ones": 1, "empty": 1, "full": 2, "frombuffer": 1,
                   "fromfile": 1, "fromstring": 1, "loadtxt": 1, "fromiter": 1}
_STRING_METHODS = frozenset({
    "upper", "lower", "strip", "lstrip", "rstrip", "ljust", "rjust", "center", "join", "format", "replace",
    "title", "capitalize", "zfill", "decode", "encode", "casefold",
})
_SEQUENCE_METHODS = frozenset({"split", "rsplit", "splitlines", "tolist", "keys", "values", "items"})
_SAME_AS_BASE_METHODS = frozenset({
    "copy", "reshape", "ravel", "flatten", "transpose", "squeeze", "swapaxes", "sum", "mean", "max", "min",
    "prod", "cumsum", "cumprod", "std", "var", "clip", "round", "repeat", "take", "compress", "diagonal",
    "conj", "conjugate", "item",
})
_NUMERIC_BUILTINS = frozenset({"len", "int", "float", "complex", "bool", "round", "hash", "id", "ord"})
_STRING_BUILTINS = frozenset({"str", "repr", "format", "chr", "ascii", "bytes", "hex", "oct", "bin"})
_SEQUENCE_BUILTINS = frozenset({"list", "tuple", "sorted", "reversed", "zip", "map", "filter", "range",
                                "enumerate", "set", "frozenset"})
_JOIN_BUILTINS = frozenset({"abs", "max", "min", "sum", "pow", "divmod"})
# What a NumPy or jax array answers to; a method outside this set (``d.simplify()`` on a sympy
# matrix) shows that the value is some other object, whatever the input contract assumes.
ARRAY_ATTRIBUTES = frozenset(dir(numpy.ndarray)) | {
    "at", "block_until_ready", "device", "devices", "sharding", "addressable_shards", "addressable_data",
    "is_deleted", "delete", "copy_to_host_async", "on_device_size_in_bytes", "unsafe_buffer_pointer",
    "weak_type", "aval", "committed", "is_fully_addressable", "is_fully_replicated", "global_shards",
    "to_device", "mT",
}
_NOT_ARRAY_EVIDENCE = _STRING_METHODS | _SEQUENCE_METHODS | {  # methods of lists, dicts, sets, str
    "append", "extend", "insert", "pop", "remove", "index", "count", "add", "update", "get", "setdefault",
    "discard", "startswith", "endswith", "find", "isdigit", "isalpha", "partition", "clear",
}


@dataclasses.dataclass(frozen=True)
class Verdict:
    cls: str
    why: str = ""  # for a non-numeric class or input: where it comes from ("`words` is `np.array(...)`")
    element: str = "unknown"  # for a sequence: the class of its elements (numbers for a shape)

    @property
    def non_numeric(self) -> bool:
        return self.cls in NON_NUMERIC


_NUMBER = Verdict(NUMERIC)
_UNKNOWN = Verdict(UNKNOWN)


def join(verdicts) -> Verdict:
    """The worst verdict: any non-numeric class, then input, then unknown, then numeric."""
    worst = _NUMBER
    for verdict in verdicts:
        if _RANK.get(verdict.cls, 3) > _RANK.get(worst.cls, 3):
            worst = verdict
    return worst


def dtype_class(dtype) -> str | None:
    """The class of a NumPy dtype (anything ``numpy.dtype`` takes); None when it is not one."""
    try:
        parsed = numpy.dtype(dtype)
    except (TypeError, ValueError):
        return None
    if parsed.fields is not None or parsed.kind == "V":
        return RECORD
    if parsed.kind in "US":
        return STRING
    if parsed.kind == "O":
        return OBJECT
    if parsed.kind in "Mm":
        return DATETIME
    if not parsed.isnative:
        return BYTE_ORDER
    if parsed.kind in "fc" and parsed.itemsize > (8 if parsed.kind == "f" else 16):
        return EXTENDED
    return NUMERIC


def _code(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 50 else text[:47] + "..."


class ValueClasses:
    """Verdicts for the expressions of one analysed module (see the module docstring)."""

    def __init__(self, analysis, parameter_verdict):
        """``parameter_verdict(scope, name, node)``: the verdict of a parameter occurrence."""
        self.analysis = analysis
        self.names = analysis.names
        self.parameter_verdict = parameter_verdict
        self._memo: dict[int, Verdict] = {}
        self._busy: set[int] = set()
        self._foreign: dict[tuple[int, str], cst.Call] | None = None  # (scope id, name) -> `d.simplify()`

    def of(self, expr: cst.CSTNode) -> Verdict:
        key = id(expr)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return _NUMBER  # a cycle adds nothing new: the other bindings decide
        self._busy.add(key)
        try:
            handler = getattr(self, f"_of_{type(expr).__name__}", None)
            verdict = handler(expr) if handler is not None else _UNKNOWN
        finally:
            self._busy.discard(key)
        self._memo[key] = verdict
        return verdict

    def elements(self, expr: cst.CSTNode) -> Verdict:
        """The class of the elements of a sequence (what ``np.array(expr)`` would hold)."""
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            found = join(self._element(e.value) for e in expr.elements)
        elif isinstance(expr, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            found = self._element(expr.elt)
        else:
            found = None
        if found is not None:
            return found if found.cls != UNKNOWN else Verdict(UNPROVEN, f"`{_code(expr)}` holds values not known to be numbers")
        verdict = self.of(expr)
        if verdict.cls == SEQUENCE and verdict.element not in (SEQUENCE, UNKNOWN):
            return Verdict(verdict.element, verdict.why) if verdict.element != NUMERIC else _NUMBER
        if verdict.cls in (SEQUENCE, UNKNOWN):
            return Verdict(UNPROVEN, f"`{_code(expr)}` holds values not known to be numbers")
        return verdict

    def _element(self, value: cst.CSTNode) -> Verdict:
        if isinstance(value, (cst.List, cst.Tuple)):
            return self.elements(value)
        found = self.of(value)
        return Verdict(found.element, found.why) if found.cls == SEQUENCE and found.element != SEQUENCE else found

    # -- leaves --------------------------------------------------------------------------------

    def _of_Integer(self, expr):
        return _NUMBER

    _of_Float = _of_Imaginary = _of_Integer

    def _of_SimpleString(self, expr):
        return Verdict(STRING, f"`{_code(expr)}` is a string")

    _of_ConcatenatedString = _of_FormattedString = _of_SimpleString

    def _sequence(self, expr):
        kind = type(expr).__name__.lower().replace("comp", "").replace("generatorexp", "generator")
        return Verdict(SEQUENCE, f"`{_code(expr)}` is a Python {kind}", self.elements(expr).cls)

    _of_List = _of_Tuple = _of_ListComp = _of_GeneratorExp = _of_Set = _of_SetComp = _sequence

    def _of_Dict(self, expr):
        return Verdict(OBJECT, f"`{_code(expr)}` is a dict")

    _of_DictComp = _of_Dict

    def _of_Name(self, expr: cst.Name) -> Verdict:
        if expr.value in ("True", "False"):
            return _NUMBER
        scope, _ = self.analysis.values.lookup(expr, expr.value)
        if scope is None:
            return _UNKNOWN
        verdicts = []
        if expr.value in scope.params and scope.parent is not None:
            verdicts.append(self.parameter_verdict(scope, expr.value, expr))
        for binding in scope.bindings.get(expr.value, []):
            if binding.source is not None:
                verdicts.append(self._bound(binding.source, binding.path, binding.augmented))
            elif binding.fixed == "unknown" and expr.value not in scope.params:
                verdicts.append(_UNKNOWN)
        found = join(verdicts)
        foreign = self.foreign_method(scope, expr.value) if found.cls in _RANK else None
        if foreign is not None:
            found = Verdict(OBJECT, f"`{_code(foreign)}`: NumPy and jax arrays have no method "
                                    f"`{foreign.func.attr.value}`, so `{expr.value}` is some other object")
        if found.non_numeric and not found.why.startswith(f"`{expr.value}`"):
            found = Verdict(found.cls, f"`{expr.value}` holds {DESCRIPTION[found.cls].split(',')[0]}"
                            f" ({found.why})" if found.why else "")
        return found

    def foreign_method(self, scope, name: str) -> cst.Call | None:
        """The first call in ``scope`` of a method no array has on the name (``d.simplify()``), if any;
        ``self`` and ``cls`` are the methods' own objects, never arrays."""
        if self._foreign is None:
            self._foreign = {}
            owner = self.analysis.collector.owner
            for node in self.analysis.tree.walk(self.analysis.module):  # shared, without rebuilding
                if not (type(node) is cst.Call and type(node.func) is cst.Attribute
                        and type(node.func.value) is cst.Name):
                    continue
                receiver, method = node.func.value.value, node.func.attr.value
                if (method in ARRAY_ATTRIBUTES or method in _NOT_ARRAY_EVIDENCE or receiver in ("self", "cls")
                        or self.names.qualified_name(node.func) is not None):
                    continue
                found, _ = self.analysis.values.lookup(node, receiver)
                if found is not None and owner.get(node) is found:
                    self._foreign.setdefault((id(found), receiver), node)
        return self._foreign.get((id(scope), name))

    def _bound(self, source: cst.CSTNode, path: tuple, augmented: bool) -> Verdict:
        if not path:
            return self.of(source)
        if path[0] == ITER and isinstance(source, cst.Call):
            qualified = self.names.qualified_name(source.func)
            if qualified in ("builtins.range", "builtins.len"):
                return _NUMBER
            if qualified == "builtins.enumerate" and len(path) > 1 and path[1] == 0:
                return _NUMBER
        whole = self.of(source)
        if whole.cls == SEQUENCE:
            return self.elements(source) if isinstance(source, (cst.List, cst.Tuple)) else _UNKNOWN
        return whole

    # -- composite expressions -----------------------------------------------------------------

    def _of_Attribute(self, expr: cst.Attribute) -> Verdict:
        if self.names.qualified_name(expr) is not None:
            return _UNKNOWN  # a module constant or a type (np.pi, np.float64, math.e)
        attr = expr.attr.value
        if attr == "shape":
            return Verdict(SEQUENCE, f"`{_code(expr)}` is a shape tuple, a host value", NUMERIC)
        if attr in ("ndim", "size", "itemsize", "nbytes"):
            return _NUMBER
        if attr == "dtype":
            return _UNKNOWN
        base = self.of(expr.value)
        if attr in ("mask", "data") and base.cls == MASKED:
            return _NUMBER
        return base if base.cls != SEQUENCE else _UNKNOWN

    def _of_Subscript(self, expr: cst.Subscript) -> Verdict:
        base = self.of(expr.value)
        if base.cls == SEQUENCE:
            sliced = any(isinstance(e.slice, cst.Slice) for e in expr.slice)
            return base if sliced else (_NUMBER if base.element == NUMERIC else _UNKNOWN)
        if base.cls == RECORD and all(
            isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.SimpleString) for e in expr.slice
        ):
            return _UNKNOWN  # one field of a record array: its own dtype, not known here
        return base

    def _of_BinaryOperation(self, expr):
        return join((self.of(expr.left), self.of(expr.right)))

    def _of_UnaryOperation(self, expr):
        return self.of(expr.expression)

    def _of_BooleanOperation(self, expr):
        return join((self.of(expr.left), self.of(expr.right)))

    def _of_Comparison(self, expr: cst.Comparison) -> Verdict:
        # comparing strings, objects or dates gives booleans; masks and unchecked inputs stay what they are
        found = join([self.of(expr.left), *(self.of(c.comparator) for c in expr.comparisons)])
        return found if found.cls in (MASKED, INPUT) else _NUMBER

    def _of_IfExp(self, expr):
        return join((self.of(expr.body), self.of(expr.orelse)))

    def _of_NamedExpr(self, expr):
        return self.of(expr.value)

    # -- calls ---------------------------------------------------------------------------------

    def _of_Call(self, call: cst.Call) -> Verdict:
        qualified = self.names.qualified_name(call.func)
        if is_numpy(qualified):
            return self._numpy_call(array_api_member(qualified) or "", call)
        if qualified is not None and qualified.startswith(("jax.numpy.", "jax.lax.", "jax.random.")):
            return _NUMBER  # jax arrays hold numbers only
        if qualified is not None and qualified.startswith("builtins."):
            return self._builtin_call(qualified[len("builtins."):], call)
        if isinstance(call.func, cst.Attribute) and qualified is None:
            return self._method_call(call)
        callee = self.analysis.values.local_function(call)
        if callee is not None:
            return join(self.of(value) for value in callee.returns) if callee.returns else _UNKNOWN
        return _UNKNOWN

    def dtype_verdict(self, expr: cst.CSTNode) -> Verdict:
        """The class of the dtype a ``dtype=`` argument names; unknown when it cannot be read."""
        if isinstance(expr, (cst.List, cst.Tuple)):
            return Verdict(RECORD, f"dtype `{_code(expr)}` has named fields")
        text = None
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
        elif isinstance(expr, cst.Name) and expr.value in ("int", "float", "complex", "bool", "str", "bytes", "object"):
            text = {"str": "U", "bytes": "S", "object": "O"}.get(expr.value, expr.value)
        else:
            member = array_api_member(self.names.qualified_name(expr))
            if member is not None and hasattr(numpy, member.split(".")[-1]):
                text = getattr(numpy, member.split(".")[-1])
        found = dtype_class(text) if text is not None else None
        if found is None:
            return _UNKNOWN
        return _NUMBER if found == NUMERIC else Verdict(found, f"dtype `{_code(expr)}`")

    def _dtype_argument(self, member: str, call: cst.Call) -> cst.CSTNode | None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "dtype":
                return arg.value
        position = _DTYPE_POSITION.get(member)
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        return positional[position] if position is not None and position < len(positional) else None

    def _numpy_call(self, member: str, call: cst.Call) -> Verdict:
        label = _code(call.func)
        for prefix, cls in _NAMESPACE_CLASS:
            if member.startswith(prefix):
                return Verdict(cls, f"`{label}` makes {DESCRIPTION[cls].split(',')[0]}")
        if member in _MEMBER_CLASS:
            cls = _MEMBER_CLASS[member]
            return _NUMBER if cls == NUMERIC else Verdict(cls, f"`{label}` makes {DESCRIPTION[cls].split(',')[0]}")
        dtype = self._dtype_argument(member, call)
        if dtype is not None:
            return self.dtype_verdict(dtype)
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        if member.startswith("random."):
            return _NUMBER
        if member in _CONVERSIONS:
            return join(self.elements(value) for value in positional[:1]) if positional else _UNKNOWN
        if member in _FROM_SHAPE:
            return _NUMBER
        if member == "full" and len(positional) > 1:
            return self.of(positional[1])
        data = [arg.value for arg in call.args if (arg.keyword is None or arg.keyword.value not in ("axis", "out"))
                and not isinstance(arg.value, cst.BaseString)]  # a mode or spec string ("reflect") is not data
        return join(self._as_data(value) for value in data)

    def _as_data(self, value: cst.CSTNode) -> Verdict:
        """What a NumPy function computes on when given ``value``: a sequence's elements."""
        verdict = self.of(value)
        return self.elements(value) if verdict.cls == SEQUENCE else verdict

    def _builtin_call(self, name: str, call: cst.Call) -> Verdict:
        args = [arg.value for arg in call.args if arg.keyword is None]
        if name in _NUMERIC_BUILTINS:
            return _NUMBER
        if name in _STRING_BUILTINS:
            return Verdict(STRING, f"`{_code(call)}` is a string")
        if name in _SEQUENCE_BUILTINS:
            element = self.elements(args[0]).cls if len(args) == 1 and name not in ("zip", "map", "enumerate") else UNKNOWN
            return Verdict(SEQUENCE, f"`{_code(call)}` is a Python {name}", NUMERIC if name == "range" else element)
        if name in _JOIN_BUILTINS:
            return join(self._as_data(value) for value in args)
        if name == "dict":
            return Verdict(OBJECT, f"`{_code(call)}` is a dict")
        return _UNKNOWN

    def _method_call(self, call: cst.Call) -> Verdict:
        method = call.func.attr.value
        base = call.func.value
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        if method == "astype" and positional:
            return self.dtype_verdict(positional[0])
        if method == "view" and positional:
            return self.dtype_verdict(positional[0])
        if method == "filled":
            return _NUMBER if self.of(base).cls == MASKED else self.of(base)
        if method in _STRING_METHODS:
            return Verdict(STRING, f"`{_code(call)}` is a string") if self.of(base).cls != MASKED else self.of(base)
        if method in _SEQUENCE_METHODS:
            return Verdict(SEQUENCE, f"`{_code(call)}` is a Python list")
        if isinstance(base, cst.Subscript) and isinstance(base.value, cst.Attribute) and base.value.attr.value == "at":
            return self.of(base.value.value)  # x.at[i].set(v): a new x
        if method in _SAME_AS_BASE_METHODS or method == "view":
            found = self.of(base)
            return found if found.cls != SEQUENCE else _UNKNOWN
        return _UNKNOWN


def value_classes(analysis) -> ValueClasses:
    """The :class:`ValueClasses` of an analysed module, built once (with its input contract)."""
    return analysis.derived(_build_value_classes)


def _build_value_classes(analysis) -> ValueClasses:
    from jaxify.analysis.input_contract import InputContract

    contract = InputContract(analysis)
    found = ValueClasses(analysis, contract.parameter_verdict)
    contract.classes = found
    return found


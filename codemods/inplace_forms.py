"""How each in-place form is written functionally: the replacement statement, or why not.

Each builder takes one write found by :mod:`jaxify.analysis.mutation` and returns a :class:`Form`
(the statement that replaces it, and the assumption it rests on when it is unsafe) or a
:class:`Refusal`. The builders never report anything; the in-place codemod decides.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m
import numpy

from jaxify.analysis.effects import SIDE_EFFECTS, effects_of
from jaxify.analysis.expressions import code_of, literal_number
from jaxify.analysis.mutation import Write
from jaxify.analysis.tree import walk
from jaxify.analysis.values import Kind

# The .at[] method that reproduces ``x[idx] OP= v`` for a basic index (exact: no position repeats).
AT_METHOD = {
    cst.AddAssign: "add",
    cst.SubtractAssign: "subtract",
    cst.MultiplyAssign: "multiply",
    cst.DivideAssign: "divide",
    cst.PowerAssign: "power",
}
# The binary operator of each augmented assignment, for the read-compute-write forms.
BINARY = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.PowerAssign: cst.Power, cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo, cst.MatrixMultiplyAssign: cst.MatrixMultiply,
    cst.BitAndAssign: cst.BitAnd, cst.BitOrAssign: cst.BitOr, cst.BitXorAssign: cst.BitXor,
    cst.LeftShiftAssign: cst.LeftShift, cst.RightShiftAssign: cst.RightShift,
}
# ufunc.at(a, idx, v) -> a.at[idx].METHOD(v): these accumulate over repeated indices, like NumPy.
UFUNC_AT = {
    "add": "add", "subtract": "subtract", "multiply": "multiply", "divide": "divide",
    "true_divide": "divide", "power": "power", "minimum": "min", "maximum": "max",
}
MIN_MAX = {"minimum": "min", "maximum": "max"}
# NumPy functions whose ``out=`` form becomes ``out = jnp.f(...)``: jax.numpy has each of them
# with the same positional parameters.
OUT_FUNCTIONS = frozenset(
    (
        "add subtract multiply divide true_divide floor_divide power float_power mod remainder fmod "
        "maximum minimum fmax fmin exp exp2 expm1 log log2 log10 log1p sqrt cbrt square reciprocal "
        "sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh hypot abs "
        "absolute fabs negative positive sign floor ceil trunc rint round around clip dot matmul "
        "sum prod mean cumsum cumprod logical_and logical_or logical_xor logical_not greater less "
        "equal not_equal greater_equal less_equal bitwise_and bitwise_or bitwise_xor invert "
        "left_shift right_shift conjugate deg2rad rad2deg degrees radians copysign heaviside"
    ).split()
)


@dataclasses.dataclass
class Form:
    code: str
    message: str
    statement: cst.BaseSmallStatement
    unsafe_because: str = ""
    convert: str = ""  # a name to turn into a jax array (``x = jnp.asarray(x)``) just before
    needs_x64: bool = False  # keeps float64 only once the module enables x64


@dataclasses.dataclass
class Refusal:
    code: str
    message: str
    reason: str
    hint: str = ""


class Facts:
    """What the builders ask the shared analysis, with the few syntactic facts they add."""

    def __init__(self, analysis, precision: str = "keep"):
        self.analysis = analysis
        self.precision_is_float32 = precision == "float32"

    def kind(self, expr: cst.BaseExpression) -> Kind:
        return self.analysis.kind_of(expr)

    def dtype(self, expr: cst.BaseExpression) -> str | None:
        return self.analysis.dtype_of(expr)

    def qualified(self, expr: cst.BaseExpression) -> str | None:
        return self.analysis.qualified_name(expr)

    def is_scalar(self, expr: cst.BaseExpression) -> bool:
        """A Python number or a static value: written to several places, it writes the same thing."""
        return literal_number(expr) is not None or (
            self.kind(expr) is Kind.STATIC and not isinstance(expr, (cst.List, cst.Tuple))
        )

    def promotes(self, target: cst.BaseExpression, value: cst.BaseExpression, true_divide: bool = False) -> bool:
        """True unless combining ``target`` with ``value`` provably keeps ``target``'s dtype.

        ``true_divide``: the combination is ``/``, whose result is never an integer.
        """
        target_dtype = self.dtype(target)
        if true_divide and (target_dtype is None or numpy.dtype(target_dtype).kind in "biu"):
            return True
        literal = literal_number(value)
        if literal is not None:  # a weak Python scalar takes the array's dtype, unless it cannot
            if isinstance(literal, bool) or isinstance(literal, int):
                return target_dtype == "bool" or (isinstance(literal, int) and target_dtype is not None
                                                 and target_dtype.startswith("uint") and literal < 0)
            kind = "f" if isinstance(literal, float) else "c"
            return target_dtype is None or numpy.dtype(target_dtype).kind not in ("fc" if kind == "f" else "c")
        value_dtype = self.dtype(value)
        if target_dtype is None or value_dtype is None:
            return True
        return numpy.result_type(target_dtype, value_dtype) != numpy.dtype(target_dtype)

    def needs_cast(self, target: cst.BaseExpression, value: cst.BaseExpression, true_divide: bool = False) -> bool:
        """Whether an ``.at[]`` write of ``value`` into ``target`` spells out the cast to the target's dtype.

        ``.at[].set/add`` cast the value to the target's dtype themselves; the cast is written only
        where the value is known to change it (JAX warns that an implicit float -> int cast will
        become an error). A Python scalar written into a target of unknown dtype stays a Python
        scalar: it is weakly typed, so a float target keeps its dtype, and an integer target
        truncates it exactly as NumPy's in-place write does.
        """
        if self.dtype(target) is None and literal_number(value) is not None and not true_divide:
            return False
        return self.promotes(target, value, true_divide)


# -- syntax helpers --------------------------------------------------------------------------


code = code_of  # the one node-to-source helper, under the short name the builders use


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def _paren(node: cst.BaseExpression) -> str:
    text = code(node)
    simple = (cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.Integer, cst.Float)
    return text if isinstance(node, simple) else f"({text})"


def rebind(name: str, value: str) -> cst.Assign:
    return cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=expr(value))


def as_jax(value: cst.BaseExpression) -> str:
    """jax.numpy takes no Python lists where NumPy does: a list literal becomes ``jnp.asarray([...])``,
    and so does a list that is a whole index inside the value (``x[[j, i]]``: jax raises for a
    non-tuple sequence as an index)."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return f"jnp.asarray({code(value)})"
    return code(value.visit(_ListIndicesAsArrays()))


class _ListIndicesAsArrays(cst.CSTTransformer):
    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if len(updated_node.slice) == 1 and m.matches(updated_node.slice[0].slice, m.Index(m.List())):
            return expr(code(updated_node.value) + index_text(updated_node))
        return updated_node


def arg_text(arg: cst.Arg) -> str:
    return code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT, value=expr(as_jax(arg.value))))


def index_text(target: cst.Subscript, list_names: frozenset[str] = frozenset()) -> str:
    """``[i, 1:3]`` as the user wrote it, with a list index made an array (jax refuses lists)."""

    def is_list(value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.List) or (isinstance(value, cst.Name) and value.value in list_names)

    elements = [
        element.with_changes(slice=element.slice.with_changes(value=expr(f"jnp.asarray({code(element.slice.value)})")))
        if isinstance(element.slice, cst.Index) and is_list(element.slice.value) else element
        for element in target.slice
    ]
    return code(target.with_changes(slice=elements))[len(code(target.value)):]


def read_text(target: cst.Subscript, list_names: frozenset[str] = frozenset()) -> str:
    """The read ``x[idx]`` of a read-compute-write form, with the same index as the write."""
    return code(target.value) + index_text(target, list_names)


# -- indices ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Index:
    kind: str  # "basic", "mask", "array" (integer array, may repeat), "unique" (literal, no repeats)
    mask: cst.BaseExpression | None = None


def classify_index(target: cst.Subscript, facts: Facts, list_names: frozenset[str] = frozenset()) -> Index:
    """Basic (ints, slices, ``...``, ``None``, static values), one boolean mask, or an array index.

    ``list_names``: names that may hold a Python list, which indexes like an integer array."""
    elements = target.slice
    advanced: list[cst.BaseExpression] = []
    for element in elements:
        if isinstance(element.slice, cst.Slice):
            continue
        value = element.slice.value
        if isinstance(value, cst.Ellipsis) or (isinstance(value, cst.Name) and value.value == "None"):
            continue
        if literal_number(value) is not None and not isinstance(literal_number(value), bool):
            continue
        if facts.kind(value) is Kind.STATIC and not isinstance(value, (cst.List, cst.Tuple)) and not (
            isinstance(value, cst.Name) and value.value in list_names
        ):
            continue
        advanced.append(value)
    if not advanced:
        return Index("basic")
    if len(elements) == 1 and _is_mask(advanced[0], facts):
        return Index("mask", advanced[0])
    if len(advanced) == 1 and isinstance(advanced[0], cst.List):
        values = [literal_number(e.value) for e in advanced[0].elements]
        if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
            if len(set(values)) == len(values):
                return Index("unique")
    return Index("array")


def _is_mask(value: cst.BaseExpression, facts: Facts) -> bool:
    return facts.dtype(value) == "bool"


def mask_matches_target(mask: cst.BaseExpression, name: str, facts: Facts) -> bool:
    """True when the mask is computed elementwise from the target itself (so has its shape)."""
    if isinstance(mask, cst.Comparison):
        parts = [mask.left, *(c.comparator for c in mask.comparisons)]
    elif isinstance(mask, cst.BinaryOperation) and isinstance(mask.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)):
        parts = [mask.left, mask.right]
    elif isinstance(mask, cst.UnaryOperation) and isinstance(mask.operator, cst.BitInvert):
        parts = [mask.expression]
    elif isinstance(mask, cst.Call) and (facts.qualified(mask.func) or "").rsplit(".", 1)[-1] in (
        "isnan", "isinf", "isfinite", "isneginf", "isposinf", "signbit"
    ) and len(mask.args) == 1:
        parts = [mask.args[0].value]
    else:
        return False
    # NumPy requires a boolean index to have exactly the target's shape; an elementwise expression
    # with the whole target as an operand has at least that shape, so it has exactly that shape
    # wherever NumPy ran at all, whatever the other operands are.
    return any(
        (isinstance(part, cst.Name) and part.value == name) or mask_matches_target(part, name, facts)
        for part in parts
    )


# -- builders --------------------------------------------------------------------------------


class Builder:
    """Turns one write into a :class:`Form` or a :class:`Refusal`."""

    def __init__(self, facts: Facts, needs_wrap):
        self.facts = facts
        self.needs_wrap = needs_wrap  # needs_wrap(write) -> True when the target may be a NumPy array

    def at(self, write: Write) -> str:
        return f"{write.name}.at"

    def build(self, write: Write) -> Form | Refusal:
        """The form for ``write``; a form that uses ``.at`` on what may still be a NumPy array first
        converts it (``x = jnp.asarray(x)``), because ``.at`` exists only on jax arrays."""
        built = self._build(write)
        if isinstance(built, Form) and ".at[" in code(built.statement) and self.needs_wrap(write):
            built.convert = write.name
        return built

    def _build(self, write: Write) -> Form | Refusal:
        node = write.node
        if write.form == "subscript":
            if isinstance(node, cst.AugAssign):
                return self.augmented_subscript(write, node)
            return self.assign_subscript(write, node)
        if write.form == "augmented-name":
            return self.augmented_name(write, node)
        if write.form == "call":
            return self.call(write, node)
        if write.form == "chained":
            return Refusal("JX116", f"`{code(write.target)} = ...` is one of several targets of one assignment",
                           "a chained assignment writes several arrays in one statement, which one rebinding cannot",
                           "split it into one assignment per target (`a[i] = v` then `b[j] = v`) and rerun jaxify")
        raise ValueError(write.form)

    # x[idx] = v --------------------------------------------------------------------------

    def assign_subscript(self, write: Write, node: cst.Assign) -> Form | Refusal:
        target, value, name = write.target, node.value, write.name
        index = classify_index(target, self.facts, write.list_indices)
        if index.kind == "mask":
            return self.masked(write, index.mask, value, None)
        minmax = self.min_max(write, target, value, index)
        if minmax is not None:
            return minmax
        shown = f"{code(target)} = ..."
        # where neither dtype is known and the value is no Python scalar, `.set`'s own cast is NumPy's
        known = self.facts.dtype(target.value) is not None and self.facts.dtype(value) is not None
        if self.facts.needs_cast(target.value, value) and (known or literal_number(value) is not None):
            new_value = f"jnp.asarray({code(value)}).astype({name}.dtype)"
        else:
            new_value = as_jax(value)
        statement = rebind(name, f"{self.at(write)}{index_text(target, write.list_indices)}.set({new_value})")
        unsafe = ""
        if index.kind == "array" and not self.facts.is_scalar(value):
            unsafe = (
                f"the indices in `{code(target)}` are unique: NumPy keeps the last of repeated writes, "
                "JAX applies them in an unspecified order"
            )
        return Form("JX101", f"`{shown}` becomes `{name}.at[...].set(...)`", statement, unsafe)

    def min_max(self, write: Write, target: cst.Subscript, value, index: Index) -> Form | None:
        """``x[i] = np.minimum(x[i], v)`` -> ``x.at[i].min(v)`` where each place is written once."""
        if not isinstance(value, cst.Call) or len(value.args) != 2 or any(a.keyword for a in value.args):
            return None
        member = (self.facts.qualified(value.func) or "").rsplit(".", 1)[-1]
        qualified = self.facts.qualified(value.func) or ""
        if member not in MIN_MAX or not qualified.startswith(("numpy.", "jax.numpy.")):
            return None
        first, second = (a.value for a in value.args)
        same = code(target)
        other = second if code(first) == same else first if code(second) == same else None
        if other is None or self.facts.promotes(target.value, other):
            return None
        if index.kind == "array" and not self.facts.is_scalar(other):
            return None  # repeated places: NumPy keeps the last write, .min/.max would combine them
        method = MIN_MAX[member]
        place = index_text(target, write.list_indices)
        statement = rebind(write.name, f"{self.at(write)}{place}.{method}({code(other)})")
        return Form("JX102", f"`{write.name}[...] = np.{member}(...)` becomes `.at[...].{method}(...)`", statement)

    # x[idx] op= v ------------------------------------------------------------------------

    def augmented_subscript(self, write: Write, node: cst.AugAssign) -> Form | Refusal:
        target, value, name = write.target, node.value, write.name
        op_type = type(node.operator)
        operator = code(BINARY[op_type]()).strip() if op_type in BINARY else None
        if operator is None:
            return Refusal("JX102", f"`{code(node)}` uses an operator jaxify does not know", "unknown operator")
        index = classify_index(target, self.facts, write.list_indices)
        if index.kind == "mask":
            return self.masked(write, index.mask, value, operator)
        shown = f"{code(target)} {code(node.operator).strip()} ..."
        casts = self.facts.promotes(target.value, value, op_type is cst.DivideAssign)
        method = AT_METHOD.get(op_type)
        keeps_dtype = not self.facts.needs_cast(target.value, value, op_type is cst.DivideAssign)
        if index.kind in ("basic", "unique") and method and keeps_dtype:
            place = index_text(target, write.list_indices)
            statement = rebind(name, f"{self.at(write)}{place}.{method}({as_jax(value)})")
            return Form("JX102", f"`{shown}` becomes `{name}.at[...].{method}(...)`", statement)
        repeated_call = self.impure_call_in(target)
        if repeated_call:
            return Refusal(
                "JX102", f"the index of `{shown}` calls `{repeated_call}`",
                "the functional form reads and writes the place separately, so the call would run twice",
                "assign the index to a name first (`idx = ...`), then rerun jaxify",
            )
        computed = f"{read_text(target, write.list_indices)} {operator} {_paren(value)}"
        if casts:
            computed = f"({computed}).astype({name}.dtype)"
        statement = rebind(name, f"{self.at(write)}{index_text(target, write.list_indices)}.set({computed})")
        unsafe = ""
        if index.kind == "array" and not self.facts.is_scalar(value):
            unsafe = (
                f"the indices in `{code(target)}` are unique: NumPy keeps the last of repeated writes, "
                "JAX applies them in an unspecified order"
            )
        why = "NumPy's buffered update, each place once" if index.kind == "array" else "read, compute, write"
        return Form("JX102", f"`{shown}` becomes `{name}.at[...].set(...)` ({why})", statement, unsafe)

    def impure_call_in(self, target: cst.Subscript) -> str:
        """A call in the index that may have side effects, or calls a function of the program
        (empty when there is none): the read-compute-write form evaluates the index twice."""
        for element in target.slice:
            for node in walk(element):
                # the program's own functions count too: the rewrite would call them twice
                if type(node) is cst.Call and effects_of(node, self.facts.qualified) & SIDE_EFFECTS:
                    return code(node.func)
        return ""

    # x[mask] = v, x[mask] op= v -------------------------------------------------------------

    def masked(self, write: Write, mask, value, operator: str | None) -> Form | Refusal:
        name, target = write.name, write.target.value
        if not self.facts.is_scalar(value):
            return Refusal(
                "JX103",
                f"`{name}[{code(mask)}]` is written with an array",
                "NumPy writes the array's items into the selected places in order; "
                "jaxify cannot prove the array has the shape of the target",
                f"if it has `{name}`'s shape use `{name} = jnp.where({code(mask)}, VALUES, {name})`; "
                f"if it holds one value per selected place use `jnp.place({name}, mask, VALUES, inplace=False)`",
            )
        chosen = code(value) if operator is None else f"{name} {operator} {_paren(value)}"
        rewritten = f"jnp.where({code(mask)}, {chosen}, {name})"
        if self.facts.promotes(target, value):  # jnp.where promotes; NumPy keeps the target's dtype
            rewritten = f"{rewritten}.astype({name}.dtype)"
        unsafe = ""
        if not mask_matches_target(mask, name, self.facts):
            unsafe = f"the mask `{code(mask)}` has the shape of `{name}` (a mask over rows would broadcast differently)"
        return Form("JX103", f"the masked write to `{name}` becomes `jnp.where`", rebind(name, rewritten), unsafe)

    # x op= y on a whole array -------------------------------------------------------------

    def augmented_name(self, write: Write, node: cst.AugAssign) -> Form | Refusal:
        name, value = write.name, node.value
        op_type = type(node.operator)
        if op_type not in BINARY:
            return Refusal("JX104", f"`{code(node)}` uses an operator jaxify does not know", "unknown operator")
        computed = f"{name} {code(BINARY[op_type]()).strip()} {_paren(value)}"
        if self.facts.promotes(node.target, value, op_type is cst.DivideAssign):
            computed = f"({computed}).astype({name}.dtype)"
        return Form(
            "JX104", f"`{code(node)}` writes `{name}` in place; it becomes `{name} = ...`", rebind(name, computed)
        )

    # calls that write an argument ------------------------------------------------------------

    def call(self, write: Write, node: cst.CSTNode) -> Form | Refusal:
        if not isinstance(node, cst.Expr):
            return Refusal(
                "JX105", f"a call that writes `{code(write.target)}` in place is used as a value",
                "the rewrite must turn the call into an assignment, which is only possible for a call statement",
                "call it on a line of its own",
            )
        call: cst.Call = node.value
        name = write.name
        if isinstance(call.func, cst.Attribute) and not self.facts.qualified(call.func):
            method = call.func.attr.value
            if method == "fill":
                return Form("JX104", f"`{name}.fill(...)` becomes `jnp.full_like`",
                            rebind(name, f"jnp.full_like({name}, {code(call.args[0].value)})"))
            if method == "sort":
                return self.sort(write, call)
        qualified = self.facts.qualified(call.func) or ""
        member = qualified.split(".", 1)[1] if "." in qualified else qualified
        if member.endswith(".at"):
            return self.ufunc_at(write, call, member[: -len(".at")])
        if member == "copyto":
            return self.copyto(write, call)
        if member == "put":
            return self.put(write, call)
        if member == "fill_diagonal":
            args = ", ".join(arg_text(a) for a in call.args)
            return Form("JX104", "`np.fill_diagonal` becomes `jnp.fill_diagonal(..., inplace=False)`",
                        rebind(name, f"jnp.fill_diagonal({args}, inplace=False)"))
        return self.out_argument(write, call, member)

    def sort(self, write: Write, call: cst.Call) -> Form | Refusal:
        name = write.name
        axis = "-1"
        for position, arg in enumerate(call.args):
            keyword = arg.keyword.value if arg.keyword else ("axis", "kind", "order")[position]
            if keyword == "axis":
                axis = code(arg.value)
            elif keyword == "order":
                return Refusal("JX104", f"`{name}.sort(order=...)` sorts structured arrays",
                               "jax has no structured arrays", "keep this sort on NumPy")
        # kind= is dropped: jnp.sort is stable, and every sort algorithm gives the same sorted values
        axis_text = "" if axis == "-1" else f", axis={axis}"
        return Form("JX104", f"`{name}.sort()` becomes `{name} = jnp.sort({name})`",
                    rebind(name, f"jnp.sort({name}{axis_text})"))

    def ufunc_at(self, write: Write, call: cst.Call, ufunc: str) -> Form | Refusal:
        if _is_unary_ufunc(ufunc) and len(call.args) == 2 and not any(a.keyword for a in call.args):
            # np.negative.at(x, idx) applies once per occurrence of a place, as .at[].apply does
            index = call.args[1].value
            subscript = f"[{as_jax(index) if isinstance(index, cst.List) else code(index)}]"
            return Form("JX106", f"`np.{ufunc}.at({write.name}, ...)` becomes `{write.name}.at[...].apply(...)`",
                        rebind(write.name, f"{self.at(write)}{subscript}.apply(jnp.{ufunc})"))
        method = UFUNC_AT.get(ufunc)
        if method is None or len(call.args) != 3 or any(a.keyword for a in call.args):
            return Refusal("JX106", f"`np.{ufunc}.at` has no `.at[]` method in JAX",
                           f"jax arrays have no `.at[].{ufunc}` update", "write the loop explicitly")
        _, index, value = (a.value for a in call.args)
        name = write.name
        subscript = f"[{as_jax(index) if isinstance(index, cst.List) else code(index)}]"
        return Form("JX106", f"`np.{ufunc}.at({name}, ...)` becomes `{name}.at[...].{method}(...)` (accumulating)",
                    rebind(name, f"{self.at(write)}{subscript}.{method}({as_jax(value)})"))

    def copyto(self, write: Write, call: cst.Call) -> Form | Refusal:
        name = write.name
        source = None
        where = None
        for position, arg in enumerate(call.args):
            keyword = arg.keyword.value if arg.keyword else ("dst", "src", "casting", "where")[position]
            if keyword == "src":
                source = arg.value
            elif keyword == "where":
                where = arg.value
        if source is None:
            return Refusal("JX104", "`np.copyto` without a source", "cannot read the call", "")
        cast = f"jnp.asarray({code(source)}).astype({name}.dtype)"
        if where is None:
            new = f"jnp.broadcast_to({cast}, {name}.shape)"
        else:
            new = f"jnp.where({code(where)}, {cast}, {name})"
        return Form("JX104", f"`np.copyto({name}, ...)` becomes `{name} = ...`", rebind(name, new))

    def put(self, write: Write, call: cst.Call) -> Form | Refusal:
        name = write.name
        args = [arg_text(a) for a in call.args]
        values = call.args[2].value if len(call.args) > 2 else None
        unsafe = ""
        if values is not None and not self.facts.is_scalar(values):
            unsafe = "the flat indices are unique: NumPy keeps the last of repeated writes, JAX's order is unspecified"
        return Form("JX104", f"`np.put({name}, ...)` becomes `jnp.put(..., inplace=False)`",
                    rebind(name, f"jnp.put({', '.join(args)}, inplace=False)"), unsafe)

    def out_argument(self, write: Write, call: cst.Call, member: str) -> Form | Refusal:
        name = write.name
        if member not in OUT_FUNCTIONS:
            return Refusal("JX105", f"`{member}(..., out={name})` writes `{name}` in place",
                           f"jaxify has no checked jax.numpy equivalent of `{member}` with `out=`",
                           f"write `{name} = ...` with the result instead")
        kept = [a for a in call.args if not (a.keyword and a.keyword.value in ("out", "where"))]
        where = next((a.value for a in call.args if a.keyword and a.keyword.value == "where"), None)
        rebuilt = call.with_changes(func=expr(f"jnp.{member}"), args=_strip_trailing_comma(kept))
        new = f"{code(rebuilt)}.astype({name}.dtype)"
        if where is not None:
            new = f"jnp.where({code(where)}, {new}, {name})"
        return Form("JX105", f"`{member}(..., out={name})` becomes `{name} = jnp.{member}(...)`", rebind(name, new))


def _is_unary_ufunc(name: str) -> bool:
    ufunc = getattr(numpy, name, None)
    return isinstance(ufunc, numpy.ufunc) and ufunc.nin == 1 and ufunc.nout == 1


def _strip_trailing_comma(args: list[cst.Arg]) -> list[cst.Arg]:
    if args:
        args = [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return args

"""Which NumPy calls of each function move to jax.numpy, decided before anything is rewritten.

The decision is per call, never per text: a call moves when it is a NumPy function, one of its
data arguments is an array (so it computes on values that are traced under jit), jax.numpy has
the function with the same meaning and takes the call's arguments, and its result cannot end up
in an array that is written in place (see :func:`pinned_calls`). Everything else stays NumPy:
static computations (shapes, constants), I/O, functions jax.numpy lacks, and the places the
rules below report.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from jaxify.analysis import FunctionInfo, Kind, ModuleAnalysis
from jaxify.analysis.expressions import catches_index_error, code_of
from jaxify.analysis.input_contract import data_assumption, data_refusal
from jaxify.analysis.jax_differences import EDGE_NODES, call_difference, edge_operation
from jaxify.analysis.names import array_api_member, is_numpy
from jaxify.analysis.numpy_api import (
    SCALAR_TYPES,
    STATIC_ATTRIBUTES,
    STATIC_BUILTINS,
    STATIC_RESULT,
    static_parameters,
)
from jaxify.analysis.static_need import only_indexes, used_in_place_as_index
from jaxify.codemods.numpy_pins import NumpyPins
from jaxify.codemods.numpy_support import (
    ACCEPT_LISTS,
    DIFFERENT_RESULT_DTYPE,
    DYNAMIC_SHAPE,
    FLOAT64_INSIDE,
    INTEGER_INPUTS_BECOME_FLOAT,
    NARROW_DTYPES,
    NOT_UNIQUE,
    HOST_ONLY,
    HOST_ROUND_TRIP_BUILTINS,
    HOST_ROUND_TRIP_METHODS,
    IN_PLACE_FUNCTIONS,
    MATH_TO_JAX_NUMPY,
    ONE_ARGUMENT_WHERE,
    SEQUENCE_OF_ARRAYS,
    STABLE_KINDS,
    call_fits_jax,
    in_jax_numpy,
)

_SUBSCRIPT_STRINGS = frozenset({"einsum", "einsum_path"})  # their first argument is a spec string
_LIST_LITERALS = (cst.List, cst.Tuple, cst.ListComp)
_NON_ARRAY_DTYPES = ("object", "str", "bytes", "U", "S", "O", "datetime64", "timedelta64")
MATH_UNSAFE = ("`math.{name}` raises on overflow and domain errors (OverflowError, ValueError) where jax.numpy "
               "returns inf or nan, and turns any argument into one Python float")
_ORDERING = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual, cst.Equal, cst.NotEqual)


@dataclasses.dataclass
class Move:
    """One NumPy call that becomes the same jax.numpy call."""

    call: cst.Call
    member: str  # "sin", "linalg.norm"
    wrap_args: tuple[int, ...] = ()  # positions in call.args whose Python list gets jnp.asarray
    wrap_elements: tuple[int, ...] = ()  # for concatenate & co: list elements of the first argument
    drop_keywords: frozenset[str] = frozenset()
    unsafe_because: str = ""
    widen_args: tuple[int, ...] = ()  # positions in call.args cast to float64 (NumPy's inner precision)
    unsafe_code: str = "JX605"  # the rule an unsafe move reports under (JX704: an input assumption)


@dataclasses.dataclass
class MaskedReduction:
    """``x[x > t].sum()`` / ``np.mean(x[x > t])``: exact without the data-dependent shape."""

    call: cst.Call
    reduction: str  # "sum" or "mean"
    subscript: cst.Subscript


@dataclasses.dataclass
class Report:
    node: cst.CSTNode
    code: str
    message: str
    reason: str
    hint: str = ""


@dataclasses.dataclass
class FunctionPlan:
    info: FunctionInfo
    moves: list[Move] = dataclasses.field(default_factory=list)
    masked: list[MaskedReduction] = dataclasses.field(default_factory=list)
    casts: list[cst.Call] = dataclasses.field(default_factory=list)  # `int(v)` -> `jnp.astype(v, int)`
    reports: list[Report] = dataclasses.field(default_factory=list)


class Planner(NumpyPins):
    """Plans every function of a module; ``plans`` lists them in source order."""

    def __init__(self, analysis: ModuleAnalysis, declined: frozenset[int] = frozenset(),
                 earlier: Planner | None = None):
        """``declined``: ids of calls whose move the user's options turn down; they stay NumPy,
        so what feeds them stays NumPy too. ``earlier``: the plan of the same analysis with
        nothing declined, whose facts that do not depend on ``declined`` are taken over (the
        walks, the traced names, why a call cannot move) instead of derived again."""
        self.analysis = analysis
        self.declined = declined
        self._own_roots: dict[int, tuple] = {}  # _roots_in_body's answers: asked on every round of the pinning
        self._flows: dict[int, tuple] = {}  # id(expression) -> (expression, its value_flow)
        if earlier is None:
            self._walk_bodies()
            self._kept_calls: dict[cst.Call, bool] = {}  # _stays_numpy's answers, likewise
            self._why_not: dict[cst.Call, str] = {}  # _why_not_jax's answers: they do not depend on `declined`
        else:
            self._take_over(earlier)
        self.kept_names, self.kept_returns = self._names_kept_on_numpy(earlier)
        if earlier is None:
            self.traced: dict[int, set[str]] = {}
            for info in analysis.functions:  # source order: enclosing functions come first
                self.traced[id(info.scope)] = self._traced_names(info)
        else:
            self.traced = earlier.traced  # from the parameters and bindings alone
        self.plans = [self._plan(info) for info in analysis.functions]

    def _walk_bodies(self) -> None:
        self.bodies: dict[int, list[cst.CSTNode]] = {}
        self.guarded: set[int] = set()  # nodes inside a `try` that catches IndexError
        tree = self.analysis.tree
        for info in self.analysis.functions:
            # every node of the function's own body: nested functions and classes have their own
            self.bodies[id(info)] = nodes = list(tree.walk(info.node, prune=lambda node, function=info.node: (
                node is not function and type(node) in (cst.FunctionDef, cst.ClassDef))))
            for node in nodes:
                if type(node) is cst.Try and any(catches_index_error(h) for h in node.handlers):
                    self.guarded |= {id(inner) for inner in tree.walk(node.body)}
        self.previous_statement = self._previous_statements()
        self.numpy_subclass_methods = self._methods_of_numpy_subclasses()
        self.mutated_attributes = self._attributes_written_in_place()

    def _take_over(self, earlier: Planner) -> None:
        self.bodies, self.guarded = earlier.bodies, earlier.guarded
        self.previous_statement = earlier.previous_statement
        self.numpy_subclass_methods = earlier.numpy_subclass_methods
        self.mutated_attributes = earlier.mutated_attributes
        self._why_not = earlier._why_not
        self._flows = earlier._flows  # a value's flow follows from the tree alone
        # with nothing declined, a call stayed for reasons that still hold; a declined call stays too
        self._kept_calls = {call: known or id(call) in self.declined for call, known in earlier._kept_calls.items()}

    def kind(self, expr: cst.CSTNode) -> Kind:
        return self.analysis.kind_of(expr)

    def numpy_member(self, func: cst.CSTNode) -> str | None:
        qualified = self.analysis.qualified_name(func)
        return array_api_member(qualified) if is_numpy(qualified) else None

    # -- values that are traced under jit ------------------------------------------------------

    def _traced_names(self, info: FunctionInfo) -> set[str]:
        """Names whose value depends on an array parameter: traced under jit. A NumPy array built
        from static values only (``np.arange(n)``) is a constant there, and stays one."""
        # under jit every parameter that is not static is traced (self and cls are not values)
        traced = {p for p in info.params if info.kinds.get(p) is not Kind.STATIC and p not in ("self", "cls")}
        changed = True
        while changed:
            changed = False
            for name, bindings in info.scope.bindings.items():
                if name not in traced and any(
                    b.source is not None and self.is_traced(b.source, info, traced) for b in bindings
                ):
                    traced.add(name)
                    changed = True
        return traced

    def is_traced(self, expr: cst.CSTNode, info: FunctionInfo, traced: set[str] | None = None) -> bool:
        traced = self.traced.get(id(info.scope), set()) if traced is None else traced
        if isinstance(expr, cst.Name):
            return self._name_traced(expr.value, info, traced)
        if isinstance(expr, cst.Attribute):
            if expr.attr.value in STATIC_ATTRIBUTES or self.analysis.qualified_name(expr) is not None:
                return False
            return self.is_traced(expr.value, info, traced)
        if isinstance(expr, cst.Arg):
            return self.is_traced(expr.value, info, traced)
        if isinstance(expr, cst.Call):
            qualified = self.analysis.qualified_name(expr.func)
            if qualified is not None and qualified.startswith("builtins.") and qualified[9:] in STATIC_BUILTINS:
                return False
            if qualified is not None and (qualified.startswith("jax.") or qualified == "jax"):
                return True  # jax operations are staged into the trace, constants included
            member = self.numpy_member(expr.func)
            args = self._data_args(member, expr) if member is not None else expr.args
            return any(self.is_traced(arg.value, info, traced) for arg in args) or (
                qualified is None and self.is_traced(expr.func, info, traced)
            )
        if isinstance(expr, (cst.Lambda, cst.BaseString)):
            return False
        return any(self.is_traced(child, info, traced) for child in self.analysis.tree.children(expr))

    def _name_traced(self, name: str, info: FunctionInfo, traced: set[str]) -> bool:
        scope = info.scope
        if name in scope.bindings or name in scope.params:
            return name in traced
        parent = scope.parent
        while parent is not None and parent.parent is not None:  # enclosing functions
            if name in parent.bindings or name in parent.params:
                return name in self.traced.get(id(parent), set())
            parent = parent.parent
        return False  # module-level values are constants under jit

    # -- arrays that must stay NumPy arrays ----------------------------------------------------

    def _stays_numpy(self, member: str, call: cst.Call) -> bool:
        """A NumPy call on array data that this codemod reports and leaves on NumPy."""
        known = self._kept_calls.get(call)
        if known is None:
            known = self._kept_calls[call] = self._decide_stays_numpy(member, call)
        return known

    def _decide_stays_numpy(self, member: str, call: cst.Call) -> bool:
        if id(call) in self.declined or id(call) in self.guarded:
            return True
        if member in STATIC_RESULT or member.startswith("random.") or member.split(".")[-1] in HOST_ONLY:
            return False
        if member in DYNAMIC_SHAPE or member == "where" and sum(a.keyword is None for a in call.args) == 1:
            return True
        return bool(self._why_not_jax(member, call, self._data_args(member, call)))

    # -- one function --------------------------------------------------------------------------

    def _methods_of_numpy_subclasses(self) -> set[int]:
        """Functions inside a class deriving from a NumPy type (``class Grid(np.ndarray)``): their
        ``self`` is a NumPy array with NumPy's protocol, so their code stays NumPy."""
        inside: set[int] = set()
        tree = self.analysis.tree
        for node in tree.walk(self.analysis.module):
            if type(node) is cst.ClassDef and any(
                is_numpy(self.analysis.qualified_name(base.value)) for base in node.bases
            ):
                inside |= {id(inner) for inner in tree.walk(node) if isinstance(inner, cst.FunctionDef)}
        return inside

    def _plan(self, info: FunctionInfo) -> FunctionPlan:
        plan = FunctionPlan(info)
        if id(info.node) in self.numpy_subclass_methods:
            return plan
        pinned = self.pinned_calls(info)
        reduced: set[int] = set()
        calls = [node for node in self.bodies[id(info)] if type(node) is cst.Call]
        for call in calls:
            masked = self._masked_reduction(call)
            if masked is not None:
                plan.masked.append(masked)
                reduced.add(id(masked.subscript))
                reduced.add(id(call))
        for node in self.bodies[id(info)]:
            kind = type(node)  # LibCST's node classes have no subclasses: `is` decides, and costs far less than isinstance
            if kind in EDGE_NODES:
                self._plan_edge(plan, node)
            if kind is cst.Call and id(node) not in reduced:
                self._plan_call(plan, node, pinned)
            elif kind is cst.Subscript and id(node) not in reduced:
                self._plan_subscript(plan, node)
        self._skip_assignment_targets(plan)
        return plan

    def _plan_edge(self, plan: FunctionPlan, node: cst.CSTNode) -> None:
        """An operation whose JAX result differs for some inputs (integer division by zero, a float
        cast to int, a callable held in an attribute) on values that would be traced: reported, and
        what feeds it stays NumPy (see jax_differences)."""
        if type(node) is cst.Call and self.numpy_member(node.func) is not None:
            return  # a NumPy call (np.floor_divide, np.asarray(x, dtype=int)) is reported as one that stays
        edge = edge_operation(self.analysis, node)
        if edge is not None and any(self.is_traced(operand, plan.info) for operand in edge[0]):
            plan.reports.append(Report(
                node, "JX604", f"`{code_of(node)}` keeps its NumPy operands", reason=edge[1],
                hint="keep this computation on NumPy, or rewrite it by hand where the inputs rule the case out",
            ))

    def _data_args(self, member: str, call: cst.Call) -> list[cst.Arg]:
        """The arguments that carry array data, not shapes, axes or dtypes."""
        positions, keywords, varargs_static = static_parameters(member)
        if varargs_static:
            return []
        data, position = [], 0
        for arg in call.args:
            if arg.keyword is not None:
                if arg.keyword.value not in keywords:
                    data.append(arg)
                continue
            if position not in positions:
                data.append(arg)
            position += 1
        return data

    def _plan_call(self, plan: FunctionPlan, call: cst.Call, pinned: set[int]) -> None:
        member = self.numpy_member(call.func)
        if member is None:
            if not self._plan_math(plan, call, pinned):
                self._plan_round_trip(plan, call)
            return
        if member in STATIC_RESULT:
            return  # np.shape, np.ndim, np.result_type: static answers, NumPy's is as good
        data = self._data_args(member, call)
        if not any(self.is_traced(arg.value, plan.info) for arg in data):
            return  # computes on constants: it runs once on the host while tracing, as before
        label = code_of(call.func)
        positional = [arg for arg in call.args if arg.keyword is None]
        if member in DYNAMIC_SHAPE or (member == "where" and len(positional) == 1):
            hint = DYNAMIC_SHAPE.get(member, ONE_ARGUMENT_WHERE)
            plan.reports.append(Report(
                call, "JX702", f"`{label}` has an output shape that depends on the values",
                reason="jax.jit needs static shapes; the call stays NumPy and the function cannot be jitted as is",
                hint=hint,
            ))
            return
        if id(call) in pinned or member.startswith("random.") or member.split(".")[-1] in HOST_ONLY:
            return  # written in place later (JX1's), random draws (JX2's), or host I/O
        if member in IN_PLACE_FUNCTIONS or member.endswith(".at"):
            return  # an in-place write: JX1's
        why_not = self._why_not_jax(member, call, data)
        if id(call) in self.guarded:
            why_not = "it runs inside a `try` that catches IndexError: jax clamps out-of-range indices instead of raising"
        if why_not:
            plan.reports.append(Report(
                call, "JX604", f"`{label}` stays NumPy", reason=why_not,
                hint="compute it with jax.numpy functions, or keep this code out of jitted functions",
            ))
            return
        plan.moves.append(self._move(member, call, data))

    def _why_not_jax(self, member: str, call: cst.Call, data: list[cst.Arg]) -> str:
        """Why ``call`` (``member``, with its ``data`` arguments) cannot move, or ""."""
        known = self._why_not.get(call)
        if known is None:
            known = self._why_not[call] = self._decide_why_not_jax(member, call, data)
        return known

    def _decide_why_not_jax(self, member: str, call: cst.Call, data: list[cst.Arg]) -> str:
        not_numeric = data_refusal(self.analysis, [arg.value for arg in data], member in SEQUENCE_OF_ARRAYS)
        if not_numeric or call_difference(self.analysis, call):  # strings, objects, lists, shapes; raising, types
            return not_numeric or call_difference(self.analysis, call)
        if member in SCALAR_TYPES:
            return ""
        if not in_jax_numpy(member):
            return f"jax.numpy has no `{member}`"
        if member not in _SUBSCRIPT_STRINGS and any(isinstance(arg.value, cst.BaseString) for arg in data):
            return "jax arrays cannot hold strings"
        if member in DIFFERENT_RESULT_DTYPE:
            return DIFFERENT_RESULT_DTYPE[member]
        if member in INTEGER_INPUTS_BECOME_FLOAT and not any(
            (self.analysis.dtype_of(arg.value) or "").startswith(("float", "complex")) for arg in data
        ):
            return f"with integer inputs jnp.{member} returns floats; no argument is known to be floating"
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "dtype":
                why = self._dtype_problem(arg.value)
                if why:
                    return why
        return call_fits_jax(member, call, dropped_keywords=frozenset({"kind"}))

    def _dtype_problem(self, expr: cst.CSTNode) -> str:
        dtype = self.analysis.dtypes.parse_dtype(expr)
        if dtype is not None:
            return f"jax arrays cannot hold dtype {dtype}" if dtype.startswith(_NON_ARRAY_DTYPES) else ""
        if isinstance(expr, cst.Attribute) and expr.attr.value == "dtype" and self.kind(expr.value) is Kind.ARRAY:
            return ""  # the dtype of an array computed here
        return f"dtype `{code_of(expr)}` is not known to be one jax arrays can hold"

    def _move(self, member: str, call: cst.Call, data: list[cst.Arg]) -> Move:
        widen_args: list[int] = []
        if member in FLOAT64_INSIDE and self.analysis.options.precision == "keep":
            data_ids = {id(arg) for arg in data}
            widen_args = [
                i for i, arg in enumerate(call.args)
                if id(arg) in data_ids and self.analysis.dtype_of(arg.value) in NARROW_DTYPES
            ]
        wrap_args: list[int] = []
        wrap_elements: list[int] = []
        if member in SEQUENCE_OF_ARRAYS:
            first = call.args[0].value if call.args else None
            if isinstance(first, (cst.List, cst.Tuple)):
                wrap_elements = [i for i, e in enumerate(first.elements) if isinstance(e.value, _LIST_LITERALS)]
        elif member not in ACCEPT_LISTS:
            data = {id(arg) for arg in self._data_args(member, call)}
            wrap_args = [i for i, arg in enumerate(call.args) if id(arg) in data and isinstance(arg.value, _LIST_LITERALS)]
        dropped = frozenset()
        kinds = [arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "kind"]
        if member in ("sort", "argsort") and kinds:
            dropped = frozenset({"kind"})
        unsafe = NOT_UNIQUE.get(member, "")
        if member == "argsort":
            kind = kinds[0].value if kinds else None
            stable = isinstance(kind, cst.SimpleString) and kind.evaluated_value in STABLE_KINDS
            if not stable:
                unsafe = (
                    "jnp.argsort is stable: equal values keep their original order, where NumPy's "
                    "default quicksort may order them differently"
                )
        assumption = "" if unsafe else data_assumption(self.analysis, [a.value for a in self._data_args(member, call)])
        return Move(call, member, tuple(wrap_args), tuple(wrap_elements), dropped, unsafe or assumption,
                    tuple(widen_args), "JX704" if assumption else "JX605")

    def _plan_math(self, plan: FunctionPlan, call: cst.Call, pinned: set[int]) -> bool:
        """``math.exp(v)`` on a traced ``v`` -> ``jnp.exp(v)`` (unsafe: see MATH_UNSAFE); True when moved."""
        qualified = self.analysis.qualified_name(call.func) or ""
        name = qualified[len("math."):] if qualified.startswith("math.") else None
        arity = 1 + (name in ("atan2", "hypot", "copysign"))
        if (name not in MATH_TO_JAX_NUMPY or id(call) in pinned or len(call.args) != arity
                or any(arg.keyword is not None or arg.star for arg in call.args)
                or not any(self.is_traced(arg.value, plan.info) for arg in call.args)):
            return False
        narrow = [i for i, arg in enumerate(call.args) if self.analysis.dtype_of(arg.value) in NARROW_DTYPES]
        plan.moves.append(Move(call, MATH_TO_JAX_NUMPY[name], unsafe_because=MATH_UNSAFE.format(name=name),
                               widen_args=tuple(narrow), unsafe_code="JX706"))
        return True

    def _plan_round_trip(self, plan: FunctionPlan, call: cst.Call) -> None:
        qualified = self.analysis.qualified_name(call.func)
        positional = [arg.value for arg in call.args if arg.keyword is None]
        value = None
        if qualified is not None and qualified.startswith("builtins."):
            if qualified[len("builtins."):] in HOST_ROUND_TRIP_BUILTINS and positional:
                value = positional[0]
        elif isinstance(call.func, cst.Attribute) and qualified is None:
            if call.func.attr.value in HOST_ROUND_TRIP_METHODS:
                value = call.func.value
        if value is not None and self.is_traced(value, plan.info):
            if qualified == "builtins.int" and len(call.args) == 1 and self._casts_an_index(call, plan.info):
                plan.casts.append(call)
                return
            plan.reports.append(Report(
                call, "JX701", f"`{code_of(call)}` brings an array value back to the host",
                reason="under jax.jit the value is traced and this raises ConcretizationTypeError",
                hint="keep the value as an array (jnp operations, jnp.where), or do this outside the jitted function",
            ))

    def _casts_an_index(self, call: cst.Call, info: FunctionInfo) -> bool:
        """``name = int(value)`` where ``name`` only indexes arrays and feeds tests (``only_indexes``),
        or ``int(value)`` that is itself (part of) an index or a test (``counts[int(v) % 5]``)."""
        if used_in_place_as_index(info.node, call, self.analysis.tree.children):
            return True
        for node in self.bodies[id(info)]:
            if isinstance(node, cst.Assign) and node.value is call:
                target = node.targets[0].target
                return isinstance(target, cst.Name) and only_indexes(info.node, target.value, node, self.analysis.tree.children)
        return False

    # -- boolean masks -------------------------------------------------------------------------

    def _is_mask_of(self, mask: cst.CSTNode, base: cst.Name) -> bool:
        """``base > t`` with a scalar static ``t``: the mask has exactly ``base``'s shape."""
        if not isinstance(mask, cst.Comparison) or len(mask.comparisons) != 1:
            return False
        comparison = mask.comparisons[0]
        if not isinstance(comparison.operator, _ORDERING):
            return False
        sides = (mask.left, comparison.comparator)
        for own, other in (sides, sides[::-1]):
            if isinstance(own, cst.Name) and own.value == base.value and self._is_static_scalar(other):
                return True
        return False

    def _is_static_scalar(self, expr: cst.CSTNode) -> bool:
        if isinstance(expr, cst.UnaryOperation):
            expr = expr.expression
        if isinstance(expr, (cst.Integer, cst.Float)):
            return True
        dtype = self.analysis.dtype_of(expr)
        return self.kind(expr) is Kind.STATIC and dtype is not None and dtype[:3] in ("int", "flo", "boo")

    def _masked_subscript(self, expr: cst.CSTNode) -> cst.Subscript | None:
        if not (isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.value, cst.Name)):
            return None
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and self.kind(expr.value) is Kind.ARRAY and self._is_mask_of(index.value, expr.value):
            return expr
        return None

    def _masked_reduction(self, call: cst.Call) -> MaskedReduction | None:
        if isinstance(call.func, cst.Attribute) and not call.args and call.func.attr.value in ("sum", "mean"):
            subscript = self._masked_subscript(call.func.value)
            if subscript is not None:
                return MaskedReduction(call, call.func.attr.value, subscript)
        member = self.numpy_member(call.func)
        if member in ("sum", "mean") and len(call.args) == 1 and call.args[0].keyword is None:
            subscript = self._masked_subscript(call.args[0].value)
            if subscript is not None:
                return MaskedReduction(call, member, subscript)
        return None

    def _plan_subscript(self, plan: FunctionPlan, node: cst.Subscript) -> None:
        if not self.is_traced(node.value, plan.info):
            return
        for element in node.slice:
            if isinstance(element.slice, cst.Index) and self._is_boolean_mask(element.slice.value):
                plan.reports.append(Report(
                    node, "JX702", f"`{code_of(node)}` selects with a boolean mask: its shape depends on the values",
                    reason="jax.jit needs static shapes; this indexing cannot be traced",
                    hint="use jnp.where(mask, x, fill) or a reduction with where=mask (jnp.sum(x, where=mask))",
                ))
                return

    def _is_boolean_mask(self, expr: cst.CSTNode) -> bool:
        if isinstance(expr, cst.Comparison):
            return all(isinstance(c.operator, _ORDERING) for c in expr.comparisons)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.BitInvert):
            return self._is_boolean_mask(expr.expression)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)):
            return self._is_boolean_mask(expr.left) or self._is_boolean_mask(expr.right)
        return self.kind(expr) is Kind.ARRAY and self.analysis.dtype_of(expr) == "bool"

    def _skip_assignment_targets(self, plan: FunctionPlan) -> None:
        """`x[mask] = v` is a write, the in-place codemod's (JX1) business, not a selection."""
        targets = set()
        for node in self.bodies[id(plan.info)]:
            if type(node) in (cst.AssignTarget, cst.AugAssign):
                targets.add(id(node.target))
        plan.reports = [r for r in plan.reports if id(r.node) not in targets]

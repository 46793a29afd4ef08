"""Stencils and sweeps over interior points -> slice arithmetic on whole arrays (JX307).

A loop (or a nest of loops) over a contiguous range whose body reads arrays at offsets of the
index and writes one element of another array,

    for i in range(1, n - 1):
        new[i] = u[i] + r * (u[i + 1] - 2.0 * u[i] + u[i - 1])

computes every element independently of the others. It becomes one update of the whole interior,

    i_stop = max(n - 1, 1)
    new = new.at[1:i_stop].set(u[1:i_stop] + r * (u[2:i_stop + 1] - 2.0 * u[1:i_stop] + u[:i_stop - 1]))

which XLA fuses into one pass over contiguous memory (a vmap of the element would gather). Each
element is computed by the same operations in the same order as the loop computed it: exact.

What proves the iterations independent, checked on the syntax:
- the range has a unit step and a literal start, and its stop reads nothing the loop changes;
  a nest is rectangular (an inner range reads no outer index);
- the body is temporaries ``t = e`` then one ``T = T.at[i + a, j + b].set(v)`` (or ``.add``), every
  loop index once in the write, each position either an index plus a literal or a value the loop
  does not change;
- every read of an array at the loop indices names all of them, in the write's order, each plus a
  literal that keeps the first read inside the array (``u[i - 1]`` with the range starting at 1);
  the written array is read, if at all, only at the element written (``T[i] = T[i] + ...``);
  nothing else the loop writes is read;
- the index is not used as a number, and the value is built only from arithmetic, comparisons and
  elementwise ``jnp`` functions (a reduction or a user function would see a whole slice where it
  saw one element);
- the written array's rank is known from the function and equals the number of indices in the
  write, so each write stores one scalar (a row written from a scalar would broadcast along the
  wrong axis once sliced).

A sweep that reads what it wrote earlier in the same sweep (Gauss-Seidel, SOR: ``u[i] = (u[i - 1]
+ u[i + 1]) / 2``) is a recurrence: it fails the read rule above and stays a sequential loop.
The stop is clamped (``max(stop, start)``) so that a range that runs backwards writes nothing, as
the loop did, rather than wrapping a negative slice bound.

Also here, on the same rank facts: the element a vmapped loop writes is broadcast to the written
element's shape unless it is provably one scalar (``element_value``).
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_flow import block_flow, reads_of
from jaxify.analysis.loops import LoopInfo, find_conversions
from jaxify.analysis.ranks import FunctionRanks
from jaxify.codemods import loop_builders as build
from jaxify.codemods.loop_plan import LoopPlan
from jaxify.rules import Rule, Safety

RULE = Rule(
    "JX307", "loop-to-slices", Safety.SAFE,
    "Stencil over a range of points (reads at offsets of the index, one element written) rewritten as slice arithmetic.",
    doc="""
    `new[i] = u[i - 1] - 2 * u[i] + u[i + 1]` over `range(1, n - 1)` (and 2-D nests over `i, j`)
    becomes `new = new.at[1:stop].set(u[:stop - 1] - 2 * u[1:stop] + u[2:stop + 1])`: the same
    operations per element, on whole slices. Only when every iteration is independent: reads at
    offsets of the index of arrays the loop does not write, one element written, elementwise
    arithmetic. A sweep that reads its own earlier writes (Gauss-Seidel) stays sequential.
    """,
)

JNP = ("jax.numpy", None, "jnp")
UPDATES = ("set", "add")
ELEMENTWISE = frozenset({  # jax.numpy functions that act on each element alone (what the slice form needs)
    "abs", "absolute", "sqrt", "cbrt", "square", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10",
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "hypot",
    "maximum", "minimum", "fmax", "fmin", "where", "sign", "floor", "ceil", "round", "rint", "trunc",
    "clip", "power", "reciprocal", "negative", "isnan", "isfinite", "logical_and", "logical_or", "logical_not",
})


@dataclasses.dataclass(frozen=True)
class Axis:
    """One loop of the nest: its index and range ``range(start, stop)``."""

    index: str
    start: int
    stop: cst.BaseExpression


def plan(info: LoopInfo, context) -> LoopPlan | None:
    """The slice form of ``info``'s loop, or None when it is not a provably independent stencil.
    ``context``: the loop forms' FormContext (fresh names, the enclosing nodes, resolve)."""
    if len(info.carried) != 1:
        return None
    loop_body = [s for s in info.node.body.body if s not in info.conversions]
    nest, boundary = _nest(info.node, loop_body, context.resolve), None
    if nest is None:
        boundary = split_boundary(info.node, loop_body, info.carried[0], context.resolve)
        if boundary is None:
            return None
        nest = [boundary.interior], [boundary.interior_write]
    axes, body = nest
    if info.index_live_out or {axis.index for axis in axes} & info.live_out:
        return None  # an index read after the loop keeps its last value in Python
    write = _write(body[-1] if body else None, info.carried[0], axes)
    if write is None:
        return None
    name, method, subscript, value = write
    temporaries = body[:-1]
    function = context.enclosing[0]
    if not isinstance(function, cst.FunctionDef):
        return None
    ranks = FunctionRanks(function, context.resolve)
    if ranks.rank(name) != len(subscript):
        return None  # a write of a row (or of unknown rank) from a scalar would broadcast along the wrong axis
    changed = block_flow(list(info.node.body.body)).written | {axis.index for axis in axes}
    if any(set(reads_of(axis.stop)) & changed for axis in axes):
        return None
    clamped = [axis for axis in axes if not (isinstance(axis.stop, cst.Integer) or axis.start == 0 and ranks.is_size(axis.stop))]
    ends = {axis.index: context.unused(f"{axis.index}_stop") if any(axis is c for c in clamped) else _end(axis)
            for axis in axes}
    lift = _Lift(axes, ends, name, subscript, changed, context.resolve)
    lifted_temporaries = []
    for small in temporaries:
        target = small.targets[0].target.value
        if target in info.carried or target in lift.temporaries:
            return None
        lifted_temporaries.append(small.with_changes(value=lift.expression(small.value)))
        lift.temporaries.add(target)
    lifted_value = lift.expression(value)
    if lift.failed:
        return None
    where = ", ".join(lift.slice_of(element, ends) for element in subscript)
    statements = [build.statement(f"{end_name} = {bound}") for end_name, bound in _clamps(clamped, ends)]
    statements += [cst.SimpleStatementLine(body=[small]) for small in lifted_temporaries]
    statements.append(build.statement(f"{name} = {name}.at[{where}].{method}({code_of(lifted_value)})"))
    indices = ", ".join(f"`{axis.index}`" for axis in axes)
    message = (f"stencil over {indices} rewritten as slice arithmetic on whole arrays: every element of `{name}` "
               "is computed from arrays the loop does not write, by the same operations as in the loop")
    if boundary is not None:
        if set(boundary.reads) & changed - {axes[0].index}:
            return None  # a boundary value reads what the loop writes
        ranks_known = isinstance(boundary.stop, cst.Integer) or ranks.is_size(boundary.stop)
        if not ranks_known:
            return None  # the boundary writes need a range whose emptiness is known when tracing
        statements = boundary.statements(name, statements)
        message += f"; the boundary points its `if` on `{axes[0].index}` selects are written before and after"
    return LoopPlan(RULE.code, message, "", statements, [JNP])


# -- the nest and its write ---------------------------------------------------------------------


def _nest(loop: cst.For, body: list[cst.BaseStatement], resolve):
    """The loops of a rectangular nest (outermost first) and its innermost simple statements, their
    conversions (``x = jnp.asarray(x)``, hoisted by the loop codemod) left out; else None."""
    axis = range_axis(loop, resolve)
    if axis is None:
        return None
    if len(body) == 1 and isinstance(body[0], cst.For):
        inner = body[0]
        found = _nest(inner, [s for s in inner.body.body if s not in find_conversions(inner.body.body, resolve)], resolve)
        if found is None or axis.index in {name for a in found[0] for name in reads_of(a.stop)}:
            return None
        return [axis, *found[0]], found[1]
    if not body or not all(isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 for s in body):
        return None
    smalls = [s.body[0] for s in body]
    if not all(_is_simple_assign(small) for small in smalls):
        return None
    return [axis], smalls


def range_axis(loop: cst.CSTNode, resolve) -> Axis | None:
    """``for i in range([start,] stop)`` with a literal non-negative start and no step."""
    if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Name) and loop.orelse is None
            and isinstance(loop.iter, cst.Call) and resolve(loop.iter.func) == "builtins.range"):
        return None
    args = loop.iter.args
    if not 1 <= len(args) <= 2 or any(arg.keyword or arg.star for arg in args):
        return None
    start = args[0].value if len(args) == 2 else cst.Integer("0")
    if not isinstance(start, cst.Integer):
        return None
    return Axis(loop.target.value, start.evaluated_value, args[-1].value)


def _is_simple_assign(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)


def _offset(node: cst.BaseExpression, indices: Sequence[str]) -> tuple[str, int] | None:
    """``i`` -> (i, 0), ``i + c`` / ``i - c`` / ``c + i`` -> (i, ±c) for a loop index ``i``."""
    if isinstance(node, cst.Name) and node.value in indices:
        return node.value, 0
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Subtract)):
        left, right = node.left, node.right
        if isinstance(left, cst.Name) and left.value in indices and isinstance(right, cst.Integer):
            return left.value, right.evaluated_value * (1 if isinstance(node.operator, cst.Add) else -1)
        if isinstance(node.operator, cst.Add) and isinstance(right, cst.Name) and right.value in indices and isinstance(left, cst.Integer):
            return right.value, left.evaluated_value
    return None


def _write(small, carried: str, axes: Sequence[Axis]):
    """``T = T.at[sub].set(v)`` / ``.add(v)`` writing ``carried``, every loop index in ``sub``
    exactly once -> (T, method, sub elements, v)."""
    pattern = m.Assign(
        targets=[m.AssignTarget(m.Name(carried))],
        value=m.Call(func=m.Attribute(value=m.Subscript(value=m.Attribute(value=m.Name(carried), attr=m.Name("at"))),
                                      attr=m.Name()),
                     args=[m.Arg(keyword=None, star="")]),
    )
    if small is None or not m.matches(small, pattern) or small.value.func.attr.value not in UPDATES:
        return None
    subscript = list(small.value.func.value.slice)
    indices = [axis.index for axis in axes]
    order = [found[0] for found in (_element_offset(e, indices) for e in subscript) if found is not None]
    if sorted(order) != sorted(indices) or len(set(order)) != len(order):
        return None
    if any(not isinstance(e.slice, cst.Index) for e in subscript):
        return None  # a slice in the write: the element is not one scalar
    return carried, small.value.func.attr.value, subscript, small.value.args[0].value


def _element_offset(element: cst.SubscriptElement, indices: Sequence[str]) -> tuple[str, int] | None:
    return _offset(element.slice.value, indices) if isinstance(element.slice, cst.Index) else None


def _end(axis: Axis) -> str:
    """The stop of ``axis`` as the slices write it when no clamp is needed: a literal (never below
    the start), or a length with the range starting at 0."""
    if isinstance(axis.stop, cst.Integer):
        return str(max(axis.stop.evaluated_value, axis.start))
    return code_of(axis.stop)


def _clamps(clamped: Sequence[Axis], ends: dict[str, str]) -> list[tuple[str, str]]:
    """``i_stop = max(stop, start)``: a range that runs backwards writes nothing, as the loop did,
    instead of wrapping a negative slice bound (one name per index: an enclosing nest that takes
    over the inner loop's rewrite names it the same way)."""
    return [(ends[a.index], f"max({code_of(a.stop)}, {a.start})") for a in clamped]


def _bound(base: str | int, offset: int) -> str:
    if isinstance(base, int):
        return str(base + offset)
    return base if offset == 0 else f"{base} + {offset}" if offset > 0 else f"{base} - {-offset}"


# -- boundary points selected by an `if` on the index ------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Boundary:
    """``for i in range(start, stop): if i == start or i == stop - 1: T[i] = a else: T[i] = b``
    split into the interior loop (``b`` over ``range(start + 1, stop - 1)``) and the boundary
    points (``a`` at ``start`` and at ``stop - 1``), each written once as the loop wrote it."""

    interior: Axis
    interior_write: cst.Assign
    index: str
    start: int
    stop: cst.BaseExpression
    points: tuple[str, ...]  # "first", "last"
    boundary_write: cst.Assign
    reads: tuple[str, ...]  # names the boundary value reads
    converts: bool  # the in-place rewrite converted the written array in the loop: once before it here

    def statements(self, name: str, interior: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The first point, the interior, the last point: the loop's order. A range that may be
        empty (a size for its stop) writes its boundary only when it is not, as the loop did."""
        first = [self._write_at(str(self.start))] if "first" in self.points else []
        last = [self._write_at(_bound(code_of(self.stop), -1))] if "last" in self.points else []
        if isinstance(self.stop, cst.Integer):
            if self.stop.evaluated_value <= self.start:
                return [*self._conversion(name), *interior]
            return [*self._conversion(name), *first, *interior, *last]
        guard = f"{code_of(self.stop)} > {self.start}"
        return [*self._conversion(name), *_guarded(guard, first), *interior, *_guarded(guard, last)]

    def _conversion(self, name: str) -> list[cst.BaseStatement]:
        return [build.statement(f"{name} = jnp.asarray({name})")] if self.converts else []

    def _write_at(self, place: str) -> cst.SimpleStatementLine:
        """The boundary write at ``place``: the index there, and the value with the index replaced."""
        at = cst.parse_expression(place if place.isdigit() else f"({place})")  # parenthesised inside arithmetic
        call = self.boundary_write.value
        value = call.args[0].value.visit(_Substitute(self.index, at))
        name = call.func.value.value.value.value  # T in T.at[i].set(v)
        return build.statement(f"{name} = {name}.at[{place}].{call.func.attr.value}({code_of(value)})")


def _guarded(test: str, statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    if not statements:
        return []
    return [cst.If(test=cst.parse_expression(test), body=cst.IndentedBlock(body=statements))]


class _Substitute(cst.CSTTransformer):
    def __init__(self, name: str, value: cst.BaseExpression):
        self.name, self.value = name, value

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.value if updated_node.value == self.name else updated_node

    def leave_Index(self, original_node: cst.Index, updated_node: cst.Index) -> cst.Index:
        # a whole index needs no parentheses: `u[n - 1]`, not `u[(n - 1)]`
        if m.matches(original_node.value, m.Name(self.name)):
            return updated_node.with_changes(value=updated_node.value.with_changes(lpar=[], rpar=[]))
        return updated_node


def split_boundary(loop: cst.For, body: list[cst.BaseStatement], carried: str, resolve) -> Boundary | None:
    """The :class:`Boundary` of a loop whose whole body is ``if <index at the range's ends>: T[i] = a
    else: T[i] = b`` (one write of the carried array at the index in each branch), else None."""
    axis = range_axis(loop, resolve)
    if axis is None or len(body) != 1 or not isinstance(body[0], cst.If) or not isinstance(body[0].orelse, cst.Else):
        return None
    branch = body[0]
    boundary = _single_write(branch.body, carried, axis)
    interior = _single_write(branch.orelse.body, carried, axis)
    points = _end_points(branch.test, axis)
    if boundary is None or interior is None or not points:
        return None
    (boundary_write, converted), (interior_write, also_converted) = boundary, interior
    start = axis.start + ("first" in points)
    stop = axis.stop if "last" not in points else (
        cst.Integer(str(axis.stop.evaluated_value - 1)) if isinstance(axis.stop, cst.Integer)
        else cst.parse_expression(_bound(code_of(axis.stop), -1)))
    value = boundary_write.value.args[0].value
    return Boundary(Axis(axis.index, start, stop), interior_write, axis.index, axis.start, axis.stop, points,
                    boundary_write, tuple(reads_of(value)), converted or also_converted)


def _single_write(block: cst.BaseSuite, carried: str, axis: Axis) -> tuple[cst.Assign, bool] | None:
    """The one statement of ``block`` if it is ``T = T.at[i].set(v)`` (or ``.add``) at the loop index,
    and whether the in-place rewrite converted ``T`` just before it (``T = jnp.asarray(T)``)."""
    if not isinstance(block, cst.IndentedBlock) or not block.body:
        return None
    lines = list(block.body)
    converted = len(lines) == 2 and is_conversion(lines[0], carried)
    if len(lines) != 1 + converted:
        return None
    line = lines[-1]
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    found = _write(line.body[0], carried, [axis])
    if found is None or len(found[2]) != 1 or not m.matches(found[2][0].slice, m.Index(m.Name(axis.index))):
        return None
    return line.body[0], converted


def is_conversion(statement: cst.CSTNode, name: str) -> bool:
    """``name = jnp.asarray(name)``: the in-place codemod's conversion just before a write."""
    return m.matches(statement, m.SimpleStatementLine(body=[m.Assign(
        targets=[m.AssignTarget(m.Name(name))],
        value=m.Call(func=m.Attribute(m.Name("jnp"), m.Name("asarray")), args=[m.Arg(m.Name(name))]))]))


def _end_points(test: cst.BaseExpression, axis: Axis) -> tuple[str, ...]:
    """("first", "last") for ``i == start or i == stop - 1`` (either, in any order); () otherwise."""
    terms: list[cst.BaseExpression] = []
    pending = [test]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or) and not node.lpar:
            pending += [node.right, node.left]
        else:
            terms.append(node)
    last = (str(axis.stop.evaluated_value - 1) if isinstance(axis.stop, cst.Integer)
            else _bound(code_of(axis.stop), -1))
    found: list[str] = []
    for term in terms:
        if not (isinstance(term, cst.Comparison) and len(term.comparisons) == 1
                and isinstance(term.comparisons[0].operator, cst.Equal)):
            return ()
        left, right = term.left, term.comparisons[0].comparator
        other = right if m.matches(left, m.Name(axis.index)) else left if m.matches(right, m.Name(axis.index)) else None
        if other is None:
            return ()
        shown = "".join(code_of(other.with_changes(lpar=[], rpar=[])).split())  # `n-1` and `n - 1` alike
        point = "first" if shown == str(axis.start) else "last" if shown == "".join(last.split()) else None
        if point is None:
            return ()
        found.append(point)
    return tuple(sorted(set(found)))


# -- lifting expressions from one element to whole slices -----------------------------------------


class _Lift:
    """Rewrites expressions of one element into expressions of the whole slices; ``failed`` once
    anything is not provably elementwise and independent."""

    def __init__(self, axes: Sequence[Axis], ends: dict[str, str], written: str, subscript, changed: set[str], resolve):
        self.resolve = resolve
        self.axes = {axis.index: axis for axis in axes}
        self.order = [found[0] for found in (_element_offset(e, list(self.axes)) for e in subscript) if found]
        self.ends = ends
        self.written = written
        self.write_subscript = [code_of(e) for e in subscript]
        self.changed = changed
        self.temporaries: set[str] = set()
        self.failed = False

    def expression(self, node: cst.BaseExpression) -> cst.BaseExpression:
        if not self._elementwise(node):
            self.failed = True
            return node
        return node.visit(_Slices(self))

    def slice_of(self, element: cst.SubscriptElement, ends: dict[str, str]) -> str:
        found = _element_offset(element, list(self.axes))
        if found is None:
            return code_of(element.slice.value)
        index, offset = found
        axis = self.axes[index]
        low = axis.start + offset
        end = ends[index]
        high = _bound(int(end) if end.lstrip("-").isdigit() else end, offset)
        return f"{'' if low == 0 else low}:{high}"

    def _elementwise(self, node: cst.CSTNode) -> bool:
        """Only arithmetic, comparisons, elementwise calls and reads this form can slice."""
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.Name):
            name = node.value
            if name in self.axes:
                return False  # the index used as a number
            return name in self.temporaries or name not in self.changed or name in ("True", "False", "None")
        if isinstance(node, cst.Subscript):
            return self._read(node)
        if isinstance(node, cst.Attribute):
            return not set(reads_of(node)) & self.changed  # `x.shape[0]`, `np.pi`: unchanged by the loop
        if isinstance(node, cst.BinaryOperation):
            return not isinstance(node.operator, cst.MatrixMultiply) and self._elementwise(node.left) and self._elementwise(node.right)
        if isinstance(node, cst.UnaryOperation):
            return not isinstance(node.operator, cst.Not) and self._elementwise(node.expression)
        if isinstance(node, cst.Comparison):
            return self._elementwise(node.left) and all(self._elementwise(c.comparator) for c in node.comparisons)
        if isinstance(node, cst.Call):
            return self._elementwise_call(node)
        return False

    def _elementwise_call(self, node: cst.Call) -> bool:
        if m.matches(node, m.Call(func=m.Attribute(attr=m.Name("astype")),
                                  args=[m.Arg(m.Attribute(value=m.Name(self.written), attr=m.Name("dtype")), keyword=None)])):
            return self._elementwise(node.func.value)  # the in-place codemod's cast back to the written dtype
        qualified = self.resolve(node.func) or ""
        module, _, function = qualified.rpartition(".")
        known = (module in ("jax.numpy", "numpy") and function in ELEMENTWISE) or qualified == "builtins.abs"
        return known and all(not arg.keyword and not arg.star and self._elementwise(arg.value) for arg in node.args)

    def _read(self, node: cst.Subscript) -> bool:
        """``A[...]``: unchanged by the loop and free of its indices, or every index once, in the
        write's order, each first read inside ``A``; the written array only at the written element."""
        if not isinstance(node.value, cst.Name):
            return False
        name = node.value.value
        indices = set(self.axes)
        touched = set().union(*(set(reads_of(e)) for e in node.slice))
        if name in self.temporaries:
            return False  # a temporary is a whole slice once lifted: indexing it reads something else
        if not touched & indices:
            return not (touched | {name}) & self.changed
        if name == self.written:
            return [code_of(e) for e in node.slice] == self.write_subscript
        if name in self.changed:
            return False
        found = [_element_offset(e, list(self.axes)) for e in node.slice]
        order = [f[0] for f in found if f is not None]
        if order != self.order:
            return False
        for element, offset in zip(node.slice, found):
            if offset is None:
                if not isinstance(element.slice, cst.Index) or set(reads_of(element)) & self.changed:
                    return False
            elif self.axes[offset[0]].start + offset[1] < 0:
                return False  # `u[i - 1]` from i = 0 wraps to the last element
        return True


class _Slices(cst.CSTTransformer):
    """Each read at the loop indices -> the same read over the whole range (``u[i + 1]`` ->
    ``u[2:stop + 1]``)."""

    def __init__(self, lift: _Lift):
        self.lift = lift

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if not any(_element_offset(e, list(self.lift.axes)) for e in original_node.slice):
            return updated_node
        array = code_of(original_node.value)
        parts = [self.lift.slice_of(e, self.lift.ends) for e in original_node.slice]
        # `x[:len(x)]` reads all of `x`: written `x[:]`, and `x` itself when every axis is whole
        parts = [":" if part == f":{array}.shape[{k}]" or (k == 0 and part == f":len({array})") else part
                 for k, part in enumerate(parts)]
        if all(part == ":" for part in parts):
            return cst.Name(array)
        return cst.parse_expression(f"{array}[{', '.join(parts)}]")


def element_value(output, value: str, ranks: FunctionRanks) -> str:
    """The value one iteration of a vmapped loop writes (``output``: the loop's one write),
    broadcast to the written element's shape unless that element is provably one scalar: stacked
    by vmap, a scalar per row would otherwise broadcast along the last axis (``T[i] = s[i]`` must
    fill row ``i``, not column ``i``)."""
    count = len(output.index)
    if not all(isinstance(element.slice, cst.Index) for element in output.index) or ranks.rank(output.name) == count:
        return value
    return f"jnp.broadcast_to({value}, {output.name}.shape[{count}:])"

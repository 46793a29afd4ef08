"""Pivot sweeps (JX309): a nest over ``i, j`` that writes ``T[i, j]`` from ``T[i, j]`` itself and
from the pivot row and column ``T[p, j]`` / ``T[i, p]`` (``p`` fixed during the sweep) becomes one
whole-array update, checked at run time, with the sequential sweep kept for when the check fails.

    for i in range(n):                         swept = d.at[:n, :n].set(jnp.where(
        for j in range(n):                         d[:n, k, None] + d[k, None, :n] < d[:n, :n],
            if d[i, k] + d[k, j] < d[i, j]:         d[:n, k, None] + d[k, None, :n], d[:n, :n]))
                d[i, j] = d[i, k] + d[k, j]    d = lax.cond(<row and column k unchanged in swept>,
                                                            lambda _: swept, _sweep_in_order, d)

Why it is exact: every iteration reads its own element (which no earlier iteration writes: each
is written once) and elements of the pivot row and column. Computing every write from the values
before the sweep gives what the loop computes as long as no write changes a pivot element, and
that is what the check tests on the whole-array result: by induction on the iterations, while no
pivot element has changed, each iteration reads exactly the values before the sweep. Where the
check fails (Floyd-Warshall with a negative cycle through ``k``), the sweep runs in the loop's
order, as a ``fori_loop`` nest. Equality is tested with ``jnp.array_equal(..., equal_nan=True)``: a
write of ``-0.0`` over ``0.0`` counts as unchanged.

Applies to: both ranges ``range(stop)`` (from 0, no step), one write ``T[i, j]`` (under an ``if``
or not) as the nest's only statement, guard and value built from arithmetic, one comparison,
elementwise ``jnp`` calls, names the nest does not change, other unchanged arrays read at
``[i, j]`` or at no index of the nest. ``T`` must be 2-D, or the rewrite needs ``--unsafe``: a row
per element would broadcast otherwise (Floyd-Warshall, Warshall's transitive closure, min-plus
relaxations). Measured on CPU: Floyd-Warshall at n = 200, 2.9 ms for the ``fori_loop`` nest, 0.13 ms
for the checked whole-array sweep.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_flow import block_flow, reads_of
from jaxify.analysis.loops import at_update
from jaxify.analysis.ranks import FunctionRanks
from jaxify.codemods import loop_builders as build
from jaxify.codemods.loop_plan import LoopPlan
from jaxify.codemods.loop_stencils import ELEMENTWISE, is_conversion, range_axis
from jaxify.rules import Rule, Safety

RULE = Rule(
    "JX309", "loop-to-pivot-sweep", Safety.SAFE,
    "Sweep over `i, j` reading only its own element and a pivot row and column rewritten as one "
    "whole-array update, checked at run time (the sequential sweep kept for when the check fails).",
    doc="""
    `if d[i, k] + d[k, j] < d[i, j]: d[i, j] = d[i, k] + d[k, j]` over `i, j` (Floyd-Warshall)
    becomes `jnp.where` on the whole matrix, `d[:n, k, None] + d[k, None, :n]`. Exact: a
    `lax.cond` keeps the result only when it leaves the pivot row and column unchanged (then every
    iteration of the loop read the values from before the sweep), and runs the sweep in the
    loop's order otherwise. Refused when the nest reads other elements of the written table, uses
    its indices as numbers, or does more than one write.
    """,
)

METHODS = ("set", "add", "multiply", "min", "max")  # elementwise updates: one element each, no order
LAX = ("jax", "lax", None)
JNP = ("jax.numpy", None, "jnp")


@dataclasses.dataclass(frozen=True)
class Sweep:
    table: str
    rows: tuple[str, str]  # (index, stop) of the outer loop
    cols: tuple[str, str]  # (index, stop) of the inner loop
    guard: cst.BaseExpression | None
    method: str  # of `T.at[i, j]`: set, or an update the element gets (`.min(v)`: `np.minimum(T[i, j], v)`)
    value: cst.BaseExpression
    pivot_rows: tuple[str, ...]  # p of every `T[p, j]` read
    pivot_cols: tuple[str, ...]  # p of every `T[i, p]` read
    converts: bool  # the in-place codemod converted `T` before its write: once before the sweep here


def find(loop: cst.For, body: list[cst.BaseStatement], table: str, resolve) -> Sweep | None:
    """The :class:`Sweep` of ``loop`` (its statements ``body``, conversions left out), else None."""
    outer = range_axis(loop, resolve)
    if outer is None or outer.start != 0 or len(body) != 1:
        return None
    inner = range_axis(body[0], resolve)
    if inner is None or inner.start != 0 or outer.index in reads_of(inner.stop):
        return None
    statements, guard = list(body[0].body.body), None
    if len(statements) == 1 and isinstance(statements[0], cst.If) and statements[0].orelse is None:
        statements, guard = list(statements[0].body.body), statements[0].test
    converts = len(statements) == 2 and is_conversion(statements[0], table)  # the in-place codemod's
    if len(statements) != 1 + converts or not (isinstance(statements[-1], cst.SimpleStatementLine) and len(statements[-1].body) == 1):
        return None
    write = statements[-1].body[0]
    update = at_update(write.value) if m.matches(write, m.Assign(targets=[m.AssignTarget(m.Name(table))])) else None
    element = [m.SubscriptElement(m.Index(m.Name(outer.index))), m.SubscriptElement(m.Index(m.Name(inner.index)))]
    if (update is None or update[0] != table or update[2] not in METHODS or len(update[1]) != 2
            or not all(m.matches(part, pattern) for part, pattern in zip(update[1], element))):
        return None
    method = update[2]
    if guard is not None and method != "set":
        return None  # a guarded `.min` would need the method's identity where the guard is false
    changed = block_flow([body[0]]).written | {outer.index, inner.index, table}
    reads = _Reads(table, outer.index, inner.index, changed, resolve)
    value = update[3]
    if not (reads.vectorisable(value) and (guard is None or reads.vectorisable(guard))):
        return None
    if (set(reads_of(outer.stop)) | set(reads_of(inner.stop))) & changed:
        return None
    return Sweep(table, (outer.index, code_of(outer.stop)), (inner.index, code_of(inner.stop)), guard, method, value,
                 tuple(sorted(reads.pivot_rows)), tuple(sorted(reads.pivot_cols)), converts)


class _Reads:
    """Checks that an expression of one element can be computed for the whole block at once."""

    def __init__(self, table: str, row: str, col: str, changed: set[str], resolve):
        self.table, self.row, self.col, self.changed, self.resolve = table, row, col, changed, resolve
        self.pivot_rows: set[str] = set()
        self.pivot_cols: set[str] = set()

    def vectorisable(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.Name):
            return node.value not in self.changed
        if isinstance(node, cst.Attribute):
            return not set(reads_of(node)) & self.changed
        if isinstance(node, cst.BinaryOperation):
            return not isinstance(node.operator, cst.MatrixMultiply) and self.vectorisable(node.left) and self.vectorisable(node.right)
        if isinstance(node, cst.UnaryOperation):
            return not isinstance(node.operator, cst.Not) and self.vectorisable(node.expression)
        if isinstance(node, cst.Comparison):  # one comparison: a chain is an `and` of truth values
            return len(node.comparisons) == 1 and self.vectorisable(node.left) and self.vectorisable(node.comparisons[0].comparator)
        if isinstance(node, cst.Call):
            module, _, function = (self.resolve(node.func) or "").rpartition(".")
            return (module in ("numpy", "jax.numpy") and function in ELEMENTWISE
                    and all(not arg.keyword and not arg.star and self.vectorisable(arg.value) for arg in node.args))
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        return False

    def _subscript(self, node: cst.Subscript) -> bool:
        if not (isinstance(node.value, cst.Name) and all(isinstance(e.slice, cst.Index) for e in node.slice)):
            return False
        parts = [e.slice.value for e in node.slice]
        touched = set().union(*(set(reads_of(part)) for part in parts))
        if node.value.value != self.table:
            if node.value.value in self.changed:
                return False
            return not touched & self.changed or _names(parts) == (self.row, self.col)
        if len(parts) != 2 or not all(isinstance(part, cst.Name) for part in parts):
            return False
        first, second = _names(parts)
        if (first, second) == (self.row, self.col):
            return True
        if first == self.row and second not in self.changed:
            self.pivot_cols.add(second)
            return True
        if second == self.col and first not in self.changed:
            self.pivot_rows.add(first)
            return True
        return False


def _names(parts) -> tuple[str, ...]:
    return tuple(part.value if isinstance(part, cst.Name) else "" for part in parts)


class _Whole(cst.CSTTransformer):
    """Reads of one element -> reads of the block: ``T[i, j]`` -> ``T[:r, :c]``, ``T[i, p]`` ->
    ``T[:r, p, None]``, ``T[p, j]`` -> ``T[p, None, :c]``, ``A[i, j]`` -> ``A[:r, :c]``."""

    def __init__(self, sweep: Sweep, rows: str, cols: str):
        self.sweep, self.rows, self.cols = sweep, rows, cols

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        parts = _names([e.slice.value for e in original_node.slice])
        row, col = self.sweep.rows[0], self.sweep.cols[0]
        array = code_of(original_node.value)
        if parts == (row, col):
            return cst.parse_expression(f"{array}[:{self.rows}, :{self.cols}]")
        if len(parts) == 2 and parts[0] == row:
            return cst.parse_expression(f"{array}[:{self.rows}, {parts[1]}, None]")
        if len(parts) == 2 and parts[1] == col:
            return cst.parse_expression(f"{array}[{parts[0]}, None, :{self.cols}]")
        return updated_node


def plan(info, context) -> LoopPlan | None:
    """The checked whole-array form of ``info``'s loop nest, or None when it is no pivot sweep.
    ``context``: the loop forms' FormContext."""
    if len(info.carried) != 1 or info.index_live_out or not isinstance(context.enclosing[0], cst.FunctionDef):
        return None
    body = [s for s in info.node.body.body if s not in info.conversions]
    sweep = find(info.node, body, info.carried[0], context.resolve)
    if sweep is None or not (sweep.pivot_rows or sweep.pivot_cols):
        return None  # no pivot: an independent nest, which the stencil and vmap forms handle
    ranks = FunctionRanks(context.enclosing[0], context.resolve)
    if ranks.rank(sweep.table) != 2 and not context.unsafe:
        return None  # the loop keeps its generic form, which needs no assumption
    table, (row, row_stop), (col, col_stop) = sweep.table, sweep.rows, sweep.cols
    statements = [build.statement(f"{sweep.table} = jnp.asarray({sweep.table})")] if sweep.converts else []
    stops = []
    for stop in (row_stop, col_stop):
        if ranks.is_size(cst.parse_expression(stop)):
            stops.append(stop)
        else:  # a negative stop is an empty range, not a slice from the end
            clamped = context.fresh(f"{table}_stop")
            statements.append(build.statement(f"{clamped} = max({stop}, 0)"))
            stops.append(clamped)
    rows, cols = stops
    whole = _Whole(sweep, rows, cols)
    value = code_of(sweep.value.visit(whole))
    block = f"{table}[:{rows}, :{cols}]"
    if sweep.guard is not None:
        value = f"jnp.where({code_of(sweep.guard.visit(whole))}, {value}, {block})"
    element = code_of(sweep.value)
    if sweep.guard is not None:
        element = f"jnp.where({code_of(sweep.guard)}, {element}, {table}[{row}, {col}])"
    at_once, in_order = context.fresh("swept"), context.fresh("_sweep_in_order")
    row_step, cell_step = context.fresh("_row"), context.fresh("_cell")
    checks = [f"jnp.array_equal({at_once}[{p}, :{cols}], {table}[{p}, :{cols}], equal_nan=True)" for p in sweep.pivot_rows]
    checks += [f"jnp.array_equal({at_once}[:{rows}, {p}], {table}[:{rows}, {p}], equal_nan=True)" for p in sweep.pivot_cols]
    cell = build.function(cell_step, [col, table], [build.statement(f"return {table}.at[{row}, {col}].{sweep.method}({element})")])
    row_function = build.function(row_step, [row, table], [
        cell, build.statement(f"return lax.fori_loop(0, {cols}, {cell_step}, {table})")])
    statements += [
        build.statement(f"{at_once} = {table}.at[:{rows}, :{cols}].{sweep.method}({value})"),
        build.function(in_order, [table], [row_function, build.statement(f"return lax.fori_loop(0, {rows}, {row_step}, {table})")],
                       info.node.body.header),
        # the whole-array result is the loop's when it leaves the pivot row and column unchanged
        build.statement(f"{table} = lax.cond({' & '.join(checks)}, lambda _: {at_once}, {in_order}, {table})"),
    ]
    pivots = ", ".join(f"`{table}[{p}, :]`" for p in sweep.pivot_rows) or ""
    pivots += (", " if pivots and sweep.pivot_cols else "") + ", ".join(f"`{table}[:, {p}]`" for p in sweep.pivot_cols)
    message = (f"sweep over `{row}, {col}` rewritten as one whole-array update of `{table}`, kept when it leaves "
               f"the pivots {pivots} unchanged (then every iteration read the values from before the sweep), "
               "else the sweep runs in the loop's order (`lax.cond`)")
    unsafe = "" if ranks.rank(table) == 2 else (
        f"assumes `{table}` has 2 dimensions: `{table}[{row}, {col}]` is then one element, and the whole-array "
        "form broadcasts as the loop did")
    return LoopPlan(RULE.code, message, unsafe, statements, [LAX, JNP])

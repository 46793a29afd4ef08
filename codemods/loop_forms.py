"""Faster loop forms the loop planner tries before its generic lowering: a fold over independent
iterations becomes one vectorised reduction (JX306), a table written row by row from earlier rows
becomes a `lax.scan` whose rows are stacked (JX302).

Each planner reads the loop's facts (:class:`jaxify.analysis.loops.LoopInfo`) and returns a
:class:`LoopPlan`, or None when its form does not apply (the loop then gets the generic
`fori_loop` / `scan`). Forms:

- reduction: every carried name is folded as ``s = s + e`` / ``s = s * e``, ``e`` computed from the
  iteration alone (its temporaries included) -> the terms of all iterations at once
  (``jax.vmap``), then ``s = s + jnp.sum(terms, axis=0)`` (``jnp.prod`` for products). The terms
  are combined in another order than the loop's (NumPy's own ``np.sum`` is pairwise, not
  sequential): the result agrees within the dtype's rounding, the finding says so, and
  ``--exact-order`` (config ``exact-order = true``) keeps the sequential loop. Small integer terms
  (int8, int16) are summed in a wider integer, as ``np.sum`` does, where the loop would wrap around.
- rows: ``T = T.at[k + w].set(f(T[k + w - 1], ..., T[k + w - c]))`` over ``range(start, stop)``
  with ``start + w >= c`` (prefix sums ``c[i] = c[i - 1] + x[i]``, products, running maxima,
  three-term recurrences, paths ``x[t + 1] = x[t] + step``) -> ``lax.scan`` carrying the last
  ``c`` rows, each new row written exactly as the loop wrote it (``prev.at[...].set(...)``: same
  broadcast, same cast to the table's dtype), the rows stacked into the table with one update.
  Arrays read at ``k`` are scanned (``x[start:]``) instead of gathered; assignments before the
  write that read neither the table nor anything else the loop changes (a random draw with a
  per-iteration key, see ``random_loop_keys.py``) are computed for every step at once with
  ``jax.vmap`` before the scan, and scanned. Same operations in the same order: exact.

Before the generic rows scan, a lag-1 row whose step is associative (a running sum, product,
extreme or affine step) is offered to ``loop_prefix.py`` (JX308), which scans it in log depth.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_flow import assign_targets, block_flow, reads_of, target_names
from jaxify.analysis.loops import LoopInfo
from jaxify.analysis.ranks import FunctionRanks
from jaxify.codemods import loop_builders as build
from jaxify.codemods import loop_pivots, loop_prefix, loop_stencils
from jaxify.codemods.loop_notes import whole_rows_note
from jaxify.codemods.loop_plan import LoopPlan
from jaxify.codemods.loop_syntax import range_args, traced_test
from jaxify.rules import Rule, Safety

RULE = Rule(
    "JX306", "loop-to-reduction", Safety.SAFE,
    "Loop folding values computed from the index alone rewritten as one vectorised `jnp.sum` / `jnp.prod`.",
    doc="""
    `s = s + f(x[i])` over independent iterations becomes `s + jnp.sum(jax.vmap(...)(...), axis=0)`
    (`jnp.prod` for `s = s * f(x[i])`). The terms are combined in another order than the loop's
    (the result agrees within the dtype's rounding, as NumPy's pairwise `np.sum` does);
    `--exact-order` keeps the sequential loop.
    """,
)

LAX = ("jax", "lax", None)
JNP = ("jax.numpy", None, "jnp")
JAX = ("jax", None, None)
FOLDS = {cst.Add: "jnp.sum", cst.Subtract: "jnp.sum", cst.Multiply: "jnp.prod"}  # the fold's operator -> its reduction
SYMBOLS = {cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*"}
RULES = (RULE, loop_stencils.RULE, loop_prefix.RULE, loop_pivots.RULE)
MAX_LAG = 8  # rows further back than this stay a fori_loop (the carry would hold that many rows)
REORDERED = ("the terms are combined in another order than the loop's (equal within the dtype's rounding; "
             "`--exact-order` keeps the sequential loop)")


@dataclasses.dataclass(frozen=True)
class FormContext:
    """What the planners ask the loop codemod: fresh names, the options, which rules may act."""

    fresh: Callable[[str], str]
    exact_order: bool
    enabled: Callable[[str], bool]  # the rule may act on this loop (selected, not silenced)
    enclosing: Sequence[cst.CSTNode]  # the loop's ancestors, from its function down
    resolve: Callable[[cst.CSTNode], str | None]  # qualified name of an expression (`jnp.sqrt` -> `jax.numpy.sqrt`)
    unused: Callable[[str], str]  # a name the user's module does not use (the same each call: set once, read at once)
    unsafe: bool  # unsafe fixes may be taken (they carry the assumption in their finding)
    dtype_of: Callable[[cst.CSTNode], str | None]  # the NumPy dtype the code makes certain for an expression


def plan(info: LoopInfo, context: FormContext) -> LoopPlan | None:
    """The fastest form that computes what ``info``'s loop computes, or None for the generic one."""
    space = info.space
    if space.kind != "range" or info.windows or info.trajectories or info.early_return or info.breaks:
        return None
    bounds = {name for part in (space.start, space.stop, space.step) if part is not None for name in reads_of(part)}
    if bounds & _varying_in_enclosing_loops(info.node, context.enclosing):
        return None  # `range(i + 1)` inside a loop over `i`: the terms' count would be traced
    stencil = loop_stencils.plan(info, context)
    if stencil is not None and context.enabled(stencil.code):
        return stencil
    pivots = loop_pivots.plan(info, context)
    if pivots is not None and context.enabled(pivots.code):
        return pivots
    body = [s for s in info.node.body.body if s not in info.conversions]
    if body and all(_guarded_fold(s, info.carried) is not None or isinstance(s, cst.SimpleStatementLine) for s in body):
        if not all(isinstance(s, cst.SimpleStatementLine) for s in body):  # `if test: s -= e` folds: a reduction or nothing
            found = _reduction(info, body, context)
            return found if found is not None and context.enabled(found.code) else None
    if not body or not all(isinstance(s, cst.SimpleStatementLine) for s in body):
        return None
    smalls = [small for s in body for small in s.body]
    for planner in (_rows, _reduction):
        found = planner(info, smalls, context)
        if found is not None and context.enabled(found.code):
            return found
    return None


# -- shared syntax ---------------------------------------------------------------------------


def _varying_in_enclosing_loops(loop: cst.CSTNode, enclosing: Sequence[cst.CSTNode]) -> set[str]:
    """Names an enclosing loop changes between its iterations (its targets and what it assigns)."""
    varying: set[str] = set()
    for node in enclosing:
        if isinstance(node, (cst.For, cst.While)) and node is not loop:
            varying |= block_flow(list(node.body.body)).written
            if isinstance(node, cst.For):
                varying |= set(target_names(node.target))
    return varying


def _offset(node: cst.BaseExpression, index: str) -> int | None:
    """``i`` -> 0, ``i + c`` -> c, ``i - c`` -> -c (``c`` an int literal); else None."""
    if m.matches(node, m.Name(index)):
        return 0
    if m.matches(node, m.BinaryOperation(left=m.Name(index), operator=m.Add() | m.Subtract(), right=m.Integer())):
        return node.right.evaluated_value * (1 if isinstance(node.operator, cst.Add) else -1)
    return None


def _element_offset(node: cst.BaseExpression, name: str, index: str) -> int | None:
    """``name[i + c]`` (one element) -> c; else None."""
    if not (isinstance(node, cst.Subscript) and m.matches(node.value, m.Name(name)) and len(node.slice) == 1):
        return None
    part = node.slice[0].slice
    return _offset(part.value, index) if isinstance(part, cst.Index) and part.star is None else None


def _last_write(smalls: Sequence[cst.BaseSmallStatement], index: str):
    """The body's last statement ``T = T.at[i + w].set(V)`` -> (T, w, V); else None."""
    if not smalls or not isinstance(smalls[-1], cst.Assign) or len(smalls[-1].targets) != 1:
        return None
    assign = smalls[-1]
    target = assign.targets[0].target
    pattern = m.Call(
        func=m.Attribute(value=m.Subscript(value=m.Attribute(value=m.Name(), attr=m.Name("at")),
                                           slice=[m.SubscriptElement(m.Index())]), attr=m.Name("set")),
        args=[m.Arg(keyword=None, star="")],
    )
    if not isinstance(target, cst.Name) or not m.matches(assign.value, pattern):
        return None
    at = assign.value.func.value
    written = _offset(at.slice[0].slice.value, index)
    if at.value.value.value != target.value or written is None or written < 0:
        return None
    return target.value, written, assign.value.args[0].value


def _slice(array: str, start: int, stop: str, length_of: str | None = None) -> str:
    """``array[start:stop]``, written ``array[start:]`` when ``stop`` is the length of ``length_of``
    (``array`` itself unless given)."""
    whole = length_of if length_of is not None else array
    end = "" if stop in (f"{whole}.shape[0]", f"len({whole})") else stop
    return f"{array}[{start}:{end}]"


def _start(space) -> int | None:
    """A range's literal start (0 when omitted) when it has a unit step (the forms index from it)."""
    if space.step is not None and not m.matches(space.step, m.Integer("1")):
        return None
    if space.start is None:
        return 0
    if not isinstance(space.start, cst.Integer):
        return None
    return space.start.evaluated_value


def _terms(expr: cst.BaseExpression, index: str, space) -> str:
    """``expr`` for every index of the range at once, stacked along a new first axis."""
    if (isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Name) and len(expr.slice) == 1
            and m.matches(expr.slice[0].slice, m.Index(m.Name(index), star=None))):
        array = expr.value.value
        start = 0 if space.start is None else space.start.evaluated_value if isinstance(space.start, cst.Integer) else None
        sliced = _slice(array, start, code_of(space.stop)) if start is not None and space.step is None else ""
        if sliced.endswith(":]"):  # the whole rest of the array: a slice, not a gather
            return array if start == 0 else sliced
        return f"{array}[jnp.arange({range_args(space)})]"
    return f"jax.vmap(lambda {index}: {code_of(expr)})(jnp.arange({range_args(space)}))"


# -- rows: T[k] = f(T[k - 1], ..., T[k - c]) -----------------------------------------------------


class _LaggedRows(cst.CSTTransformer):
    """``T[k + w - c]`` (the table written at ``k + w``) -> the name of the carried row ``c`` back;
    ``lags`` collects every ``c`` seen."""

    def __init__(self, name: str, index: str, written: int, row_name: Callable[[int], str]):
        self.name, self.index, self.written, self.row_name = name, index, written, row_name
        self.lags: set[int] = set()

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        offset = _element_offset(original_node, self.name, self.index)
        lag = None if offset is None else self.written - offset
        if lag is None or lag < 1:
            return updated_node
        self.lags.add(lag)
        return cst.Name(self.row_name(lag))


class _ScannedReads(cst.CSTTransformer):
    """``A[k]`` of an array the loop does not write -> one element of the scanned ``A[start:stop]``,
    so the scan walks ``A`` instead of gathering from it (``sliced`` maps each ``A`` to its name)."""

    def __init__(self, index: str, unchanged: Callable[[str], bool], element_name: Callable[[str], str]):
        self.index, self.unchanged, self.element_name = index, unchanged, element_name
        self.sliced: dict[str, str] = {}

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        base = original_node.value
        if not (isinstance(base, cst.Name) and self.unchanged(base.value) and len(original_node.slice) == 1
                and m.matches(original_node.slice[0].slice, m.Index(m.Name(self.index), star=None))):
            return updated_node
        if base.value not in self.sliced:
            self.sliced[base.value] = self.element_name(base.value)
        return cst.Name(self.sliced[base.value])


def _rows(info: LoopInfo, smalls, context: FormContext) -> LoopPlan | None:
    index = info.space.index_name
    write = _last_write(smalls, index)
    start = _start(info.space)
    if write is None or start is None or info.carried != [write[0]]:
        return None
    name, written, value = write
    temporaries = _independent_temporaries(smalls[:-1], info)
    if temporaries is None:
        return None
    temporary_names = [small.targets[0].target.value for small in temporaries]
    first = start + written  # the first row the loop writes
    names: dict[int, str] = {}

    def row_name(lag: int) -> str:
        if lag not in names:
            names[lag] = context.fresh("prev" if lag == 1 else f"prev{lag}")
        return names[lag]

    lagged = _LaggedRows(name, index, written, row_name)
    row_value = value.visit(lagged)
    if not lagged.lags or name in reads_of(row_value) or max(lagged.lags) > min(first, MAX_LAG):
        return None
    if set(reads_of(row_value)) & (info.written - {name} - set(temporary_names)):
        return None
    depth = max(lagged.lags)
    carried = [row_name(lag) for lag in range(1, depth + 1)]
    ranks = FunctionRanks(context.enclosing[0], context.resolve)
    stop, before = code_of(info.space.stop), []
    if not ranks.is_size(info.space.stop):
        stop = context.fresh(f"{index}_stop")  # a negative stop is an empty range, not a slice from the end
        before = [build.statement(f"{stop} = max({code_of(info.space.stop)}, {start})")]
    indices = f"jnp.arange({start}, {stop})" if start else f"jnp.arange({stop})"
    end = f"{stop} + {written}" if written else stop
    if depth == 1 and not temporaries and context.enabled(loop_prefix.RULE.code):
        found = loop_prefix.recurrence(row_value, value, carried[0], context.resolve)
        table_dtype = context.dtype_of(smalls[-1].value.func.value.value.value) or ""  # `T` of `T.at[...]`
        table = loop_prefix.Table(name, first, end, index, indices, table_dtype,
                                  ranks.rank(name) == 1,
                                  lambda term: _terms(term, index, info.space))
        prefix = None if found is None else loop_prefix.plan(
            found, table, loop_prefix.Options(context.exact_order, context.unsafe, context.fresh))
        if prefix is not None:
            return dataclasses.replace(prefix, statements=[*before, *prefix.statements])
    scanned_reads = _ScannedReads(index, lambda array: array not in info.written | {name},
                                  lambda array: context.fresh(f"{array}_{index}"))
    row_value = row_value.visit(scanned_reads)
    scanned = [(_slice(array, start, stop), element) for array, element in scanned_reads.sliced.items()]
    if temporaries:  # computed for every step at once (a draw becomes one batched draw), then scanned
        per_step = context.fresh("_per_step")
        needed = [temporary for temporary in temporary_names if temporary in reads_of(row_value)]
        stacked = [context.fresh(f"{temporary}_all") for temporary in needed]
        returned = ", ".join(needed)
        body = [cst.SimpleStatementLine(body=[t]) for t in temporaries] + [build.statement(f"return {returned}")]
        targets = ", ".join(stacked)
        before += [build.function(per_step, [index], body),
                  build.statement(f"{targets} = jax.vmap({per_step})({indices})")]
        scanned += list(zip(stacked, needed))
    if index in reads_of(row_value) or not scanned:
        scanned.append((indices, index if index in reads_of(row_value) else "_"))
    item = scanned[0][1] if len(scanned) == 1 else context.fresh("item")
    xs = scanned[0][0] if len(scanned) == 1 else f"({', '.join(text for text, _ in scanned)})"
    new_row = context.fresh("row")
    step = context.fresh("_row_step")
    carry = build.Carry(tuple(carried), context.fresh("carry"))
    shifted = ", ".join([new_row, *carried[:-1]]) if depth > 1 else new_row
    shifted = f"({shifted})" if depth > 1 else shifted
    body = [
        *carry.unpack(),
        *([build.statement(f"{', '.join(element for _, element in scanned)} = {item}")] if len(scanned) > 1 else []),
        # `.at[...].set` broadcasts and casts the row as the loop's write into the table did
        build.statement(f"{new_row} = {carried[0]}.at[...].set({code_of(row_value)})"),
        build.statement(f"return {shifted}, {new_row}"),
    ]
    definition = build.function(step, [carry.param, item], body, info.node.body.header)
    init = ", ".join(f"{name}[{first - lag}]" for lag in range(1, depth + 1))
    init = f"({init})" if depth > 1 else init
    rows = context.fresh("rows")
    statements = [
        *before,
        definition,
        build.statement(f"_, {rows} = lax.scan({step}, {init}, {xs})"),
        build.statement(f"{name} = {name}.at{_slice('', first, end, name)}.set({rows})"),
    ]
    previous = "row" if depth == 1 else f"{depth} rows"
    message = (f"table `{name}` written row by row from its previous {previous} rewritten as "
               f"`lax.scan` carrying those rows; the new rows are stacked into `{name}` with one update; sequential: "
               f"each row is computed from the rows before it{whole_rows_note(name, 1, ranks)}")
    return LoopPlan("JX302", message, "", statements, [LAX, JNP] + ([JAX] if temporaries else []))


def _independent_temporaries(smalls: Sequence[cst.BaseSmallStatement], info: LoopInfo):
    """``t = e`` statements computed from the index and unchanged names alone (each earlier one
    may feed a later one), or None when a statement is anything else."""
    known: set[str] = set()
    for small in smalls:
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
            return None
        target = small.targets[0].target.value
        if target in info.carried or target in known or set(reads_of(small.value)) & (info.written - known):
            return None
        known.add(target)
    return list(smalls)


# -- reductions: s = s + e over independent iterations --------------------------------------------


def _reduction(info: LoopInfo, body, context: FormContext) -> LoopPlan | None:
    """``body``: the loop's small statements, or its statements when some are guarded folds."""
    guarded = any(isinstance(small, cst.If) or isinstance(small, cst.Assign) and len(small.targets) == 1
                  and _selected_fold(small.value, code_of(small.targets[0].target)) for small in _smalls(body))
    if context.exact_order or not info.carried or not guarded and set(info.carried) != set(info.reductions):
        return None  # (a fold under an `if` is no reduction to the loop analysis: the checks below prove it one)
    index = info.space.index_name
    folds: list[tuple[str, str, str, cst.BaseExpression]] = []  # (name, reduction, operator, term)
    temporaries: list[cst.BaseSmallStatement] = []
    for small in _smalls(body):
        names = [n for t in assign_targets(small) for n in target_names(t)]
        fold = _guarded_fold(small, info.carried) or _fold(small, set(info.carried))
        if fold is not None:
            folds.append(fold)
        elif folds or set(names) & set(info.carried) or not isinstance(small, cst.Assign):
            return None  # temporaries first, then the folds; nothing else
        else:
            temporaries.append(small)
    if not folds or any(term is None for _, _, _, term in folds):
        return None  # a guard that cannot be traced (a chained comparison)
    if len({f[0] for f in folds}) != len(folds) or {f[0] for f in folds} != set(info.carried):
        return None
    reads = [term for _, _, _, term in folds] + [small.value for small in temporaries]
    if any(set(reads_of(node)) & set(info.carried) for node in reads):
        return None  # a term, a guard or a temporary that reads what the loop folds: a recurrence
    imports = [JAX, JNP]
    if not temporaries and len(folds) == 1:
        name, reduction, operator, term = folds[0]
        statements = [build.statement(f"{name} = {name} {operator} {reduction}({_terms(term, index, info.space)}, axis=0)")]
    else:
        function = context.fresh("_terms")
        stacked = [context.fresh(f"{name}_terms") for name, _, _, _ in folds]
        returned = ", ".join(code_of(term) for _, _, _, term in folds)
        body = [cst.SimpleStatementLine(body=[t]) for t in temporaries] + [build.statement(f"return {returned}")]
        definition = build.function(function, [index], body, info.node.body.header)
        targets = ", ".join(stacked)
        statements = [definition, build.statement(f"{targets} = jax.vmap({function})(jnp.arange({range_args(info.space)}))")]
        statements += [
            build.statement(f"{name} = {name} {operator} {reduction}({terms}, axis=0)")
            for (name, reduction, operator, _), terms in zip(folds, stacked)
        ]
    folded = ", ".join(f"`{name}`" for name, _, _, _ in folds)
    reductions = " and ".join(f"`{reduction}`" for reduction in sorted({reduction for _, reduction, _, _ in folds}))
    message = f"reduction of {folded} over independent iterations rewritten as one vectorised {reductions}; {REORDERED}"
    return LoopPlan("JX306", message, "", statements, imports)


def _smalls(body) -> list:
    """Small statements in order; a guarded fold (an ``if`` statement) stands as itself."""
    if all(isinstance(s, cst.BaseSmallStatement) for s in body):
        return list(body)
    return [small for s in body for small in (s.body if isinstance(s, cst.SimpleStatementLine) else [s])]


def _fold(small: cst.CSTNode, carried) -> tuple[str, str, str, cst.BaseExpression] | None:
    """``s = s + e`` / ``s = s - e`` / ``s = s * e`` (or ``s += e`` ...) with ``s`` carried ->
    (s, jnp.sum / jnp.prod, the operator, e)."""
    if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
        name, operator, term = small.target.value, small.operator, small.value
        kind = {cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply}.get(type(operator))
    elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        name, value = small.targets[0].target.value, small.value
        selected = _selected_fold(value, name)
        if selected is not None:
            return selected if name in carried else None
        if not isinstance(value, cst.BinaryOperation) or not m.matches(value.left, m.Name(name)):
            return None
        kind, term = type(value.operator), value.right
    else:
        return None
    if name not in carried or kind not in FOLDS:
        return None
    return name, FOLDS[kind], SYMBOLS[kind], term


def _selected_fold(value: cst.BaseExpression, name: str):
    """``jnp.where(test, s + e, s)`` (an ``if test: s += e`` the conditional codemod lowered) -> the
    fold of ``jnp.where(test, e, 0)`` (1 for a product)."""
    pattern = m.Call(func=m.Attribute(value=m.Name("jnp"), attr=m.Name("where")),
                     args=[m.Arg(keyword=None, star=""), m.Arg(m.BinaryOperation(left=m.Name(name)), keyword=None, star=""),
                           m.Arg(m.Name(name), keyword=None, star="")])
    if not m.matches(value, pattern) or type(value.args[1].value.operator) not in FOLDS:
        return None
    kind = type(value.args[1].value.operator)
    neutral = "1" if FOLDS[kind] == "jnp.prod" else "0"
    term = cst.parse_expression(f"jnp.where({code_of(value.args[0].value)}, {code_of(value.args[1].value.right)}, {neutral})")
    return name, FOLDS[kind], SYMBOLS[kind], term


def _guarded_fold(statement: cst.CSTNode, carried) -> tuple[str, str, str, cst.BaseExpression | None] | None:
    """``if test: s -= e`` (one fold, no ``else``) -> the fold of ``jnp.where(test, e, 0)`` (1 for a
    product: a skipped iteration adds nothing); its term is None when the test cannot be traced."""
    if not (isinstance(statement, cst.If) and statement.orelse is None and len(statement.body.body) == 1):
        return None
    inner = statement.body.body[0]
    if not (isinstance(inner, cst.SimpleStatementLine) and len(inner.body) == 1):
        return None
    fold = _fold(inner.body[0], carried)
    if fold is None:
        return None
    name, reduction, operator, term = fold
    test = traced_test(statement.test, lambda node: None)
    neutral = "1" if reduction == "jnp.prod" else "0"
    guarded = None if test is None else cst.parse_expression(f"jnp.where({test}, {code_of(term)}, {neutral})")
    return name, reduction, operator, guarded

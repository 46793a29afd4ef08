"""Data flow of one `for` / `while` loop: what it iterates over, what it reads and writes, what it
carries from one iteration to the next, what it produces per iteration, and what blocks turning it
into a JAX loop primitive.

The analysis is syntactic and works on the nodes of the visited tree. Names are resolved to
qualified names through a ``resolve`` callable (the codemod passes LibCST's QualifiedNameProvider),
so ``jnp.sum`` after ``import jax.numpy as jnp`` is recognised and a local ``jnp`` is not.

Vocabulary:
- **exposed read**: a name read in the body before the body (in the same iteration) has surely
  assigned it, so its value comes from before the loop or from the previous iteration.
- **carried**: written in the body and either exposed-read or read after the loop (live-out).
- **output**: ``out = out.at[i].<method>(v)`` with ``i`` the loop index, ``out`` read nowhere else
  in the body: iteration ``i`` touches only element ``i``.
- **trajectory**: ``ys.append(v)`` on a list created empty before the loop and only stacked after it.
- **blocker**: a statement that no JAX loop primitive can express exactly (`return`, I/O, a
  call not known to be pure, a growing container, ...), with its node for the finding's line.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.tree import visit, walk
from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_blockers import Blocker, BlockerFinder, nonnegative_range, side_effects_of
from jaxify.analysis.loop_flow import (
    assign_targets,
    assigned_names,
    block_flow,
    free_names,
    reads_of,
    statement_flow,
    target_names,
)
from jaxify.analysis.mask_selections import MaskedSelection, masked_selections

Resolve = Callable[[cst.CSTNode], "str | None"]

# The `.at[...]` methods that write (a new array): `x = x.at[i].add(v)` is an update of `x`.
AT_METHODS = frozenset({"set", "add", "subtract", "multiply", "mul", "divide", "power", "min", "max"})

STACKERS = frozenset({"jax.numpy.array", "jax.numpy.asarray", "jax.numpy.stack", "numpy.array",
                      "numpy.asarray", "numpy.stack"})


@dataclasses.dataclass(frozen=True)
class IterationSpace:
    """What a loop runs over.

    kind: "range" (start, stop, step expressions; start/step may be None), "array" (the first axis
    of ``sequences[0]``), "enumerate" (index from ``start`` plus ``sequences[0]``), "zip"
    (``sequences`` in lock step), "while" (``test``), or "other" (nothing JAX can scan).
    """

    kind: str
    target: cst.BaseExpression | None = None
    start: cst.BaseExpression | None = None
    stop: cst.BaseExpression | None = None
    step: cst.BaseExpression | None = None
    sequences: tuple[cst.BaseExpression, ...] = ()
    test: cst.BaseExpression | None = None

    @property
    def index_name(self) -> str | None:
        """The loop index of a range loop, or the index of an enumerate loop."""
        if self.kind == "range" and isinstance(self.target, cst.Name):
            return self.target.value
        if self.kind == "enumerate" and isinstance(self.target, cst.Tuple):
            first = self.target.elements[0].value
            return first.value if isinstance(first, cst.Name) else None
        return None

    def trip_count_text(self) -> str | None:
        """``"10000"`` for ``range(10000)``, ``"n"`` for ``range(n)``; None when unknown."""
        if self.kind != "range" or self.step is not None:
            return None
        stop = code_of(self.stop)
        if self.start is None or (isinstance(self.start, cst.Integer) and self.start.evaluated_value == 0):
            return stop
        if isinstance(self.start, cst.Integer) and isinstance(self.stop, cst.Integer):
            return str(max(0, self.stop.evaluated_value - self.start.evaluated_value))
        start = code_of(self.start)
        if not isinstance(self.start, (cst.Name, cst.Integer, cst.Attribute, cst.Call, cst.Subscript)):
            start = f"({start})"
        return f"{stop} - {start}"


@dataclasses.dataclass(frozen=True)
class Output:
    """``name = name.at[index].method(value)``: iteration ``index`` writes element ``index`` only."""

    name: str
    index: tuple[cst.SubscriptElement, ...]
    method: str
    value: cst.BaseExpression
    statement: cst.SimpleStatementLine


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """``name.append(value)`` once per iteration on a list made empty before the loop."""

    name: str
    value: cst.BaseExpression
    statement: cst.SimpleStatementLine


@dataclasses.dataclass(frozen=True)
class EarlyReturn:
    """``if test: return value`` at the top level of a range loop's body, the loop's only exit
    besides running out: the loop can become a `lax.while_loop` that stops on a flag."""

    statement: cst.If
    test: cst.BaseExpression
    value: cst.BaseExpression | None


@dataclasses.dataclass
class LoopInfo:
    node: cst.For | cst.While
    space: IterationSpace
    exposed: set[str]  # read before surely written in an iteration (includes a while's test)
    written: set[str]  # assigned anywhere in the body (loop targets excluded)
    carried: list[str]  # in first-write order: the carry of a scan / fori_loop / while_loop
    live_out: set[str]  # written in the loop and possibly read after it
    outputs: list[Output]
    reductions: list[str]  # carried names updated only as `s += ...`, `s = s + ...`, `s = max(s, ...)`
    trajectories: list[Trajectory]
    blockers: list[Blocker]
    conversions: list[cst.SimpleStatementLine]  # `x = jnp.asarray(x)`: hoisted before the loop
    windows: list[cst.Subscript] = dataclasses.field(default_factory=list)  # `x[i:i + k]` reads
    tails: list[cst.Call] = dataclasses.field(default_factory=list)  # `np.dot(U[i, i + 1:], x[i + 1:])`
    wrapping_bounds: set[str] = dataclasses.field(default_factory=set)  # their bounds that may be negative
    early_return: EarlyReturn | None = None
    breaks: bool = False  # the body holds a `break` of this loop (it needs a done flag)
    index_live_out: bool = False  # the loop variable is read after the loop
    choices: bool = False  # builtin min/max, `a if c else b` of traced values: selects (codemods/loop_choices.py)
    # boolean-mask selections only counted and summed (codemods/loop_mask_reductions.py)
    selections: list[MaskedSelection] = dataclasses.field(default_factory=list)


# -- iteration space, outputs, trajectories ---------------------------------------------------


def iteration_space(loop: cst.For | cst.While, resolve: Resolve) -> IterationSpace:
    if isinstance(loop, cst.While):
        return IterationSpace("while", test=loop.test)
    target, iterable = loop.target, loop.iter
    if isinstance(iterable, cst.Call) and not any(arg.keyword or arg.star for arg in iterable.args):
        qualified = resolve(iterable.func)
        args = [arg.value for arg in iterable.args]
        if qualified == "builtins.range" and 1 <= len(args) <= 3 and isinstance(target, cst.Name):
            if len(args) == 1:
                return IterationSpace("range", target, stop=args[0])
            return IterationSpace("range", target, args[0], args[1], args[2] if len(args) == 3 else None)
        if qualified == "builtins.reversed" and len(args) == 1 and isinstance(target, cst.Name):
            reversed_space = _reversed_range(args[0], target, resolve)
            if reversed_space is not None:
                return reversed_space
        if qualified == "builtins.enumerate" and len(args) in (1, 2) and _is_index_pair(target):
            return IterationSpace("enumerate", target, start=args[1] if len(args) == 2 else None, sequences=(args[0],))
        if qualified == "builtins.zip" and len(args) >= 2 and isinstance(target, cst.Tuple) and len(target.elements) == len(args):
            return IterationSpace("zip", target, sequences=tuple(args))
        if qualified is not None and qualified.startswith("builtins."):
            return IterationSpace("other", target)
    return IterationSpace("array", target, sequences=(iterable,))


def _reversed_range(iterable: cst.BaseExpression, target: cst.Name, resolve: Resolve) -> IterationSpace | None:
    """``reversed(range(a, b))`` -> the space of ``range(b - 1, a - 1, -1)`` (a unit step only: the
    last item of a longer step is not ``b - 1``). The bounds are built around the original nodes."""
    if not (isinstance(iterable, cst.Call) and resolve(iterable.func) == "builtins.range" and 1 <= len(iterable.args) <= 2
            and not any(arg.keyword or arg.star for arg in iterable.args)):
        return None
    args = [arg.value for arg in iterable.args]
    start, stop = (cst.Integer("0"), args[0]) if len(args) == 1 else args

    def minus_one(bound: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(bound, cst.Integer):
            value = bound.evaluated_value - 1
            return cst.Integer(str(value)) if value >= 0 else cst.UnaryOperation(cst.Minus(), cst.Integer(str(-value)))
        grouped = bound if isinstance(bound, (cst.Name, cst.Call, cst.Subscript, cst.Attribute)) else bound.with_changes(
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return cst.BinaryOperation(grouped, cst.Subtract(), cst.Integer("1"))

    step = cst.UnaryOperation(cst.Minus(), cst.Integer("1"))
    return IterationSpace("range", target, minus_one(stop), minus_one(start), step)


def _is_index_pair(target: cst.BaseExpression) -> bool:
    """``i, x`` (the index a plain name) as the target of ``enumerate``."""
    return (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and isinstance(target.elements[0].value, cst.Name)
    )


def at_update(value: cst.BaseExpression) -> tuple[str, Sequence[cst.SubscriptElement], str, cst.BaseExpression] | None:
    """``x.at[idx].method(v)`` -> (x, the subscript elements of idx, method, v)."""
    if not m.matches(
        value,
        m.Call(
            func=m.Attribute(value=m.Subscript(value=m.Attribute(value=m.Name(), attr=m.Name("at")))),
            args=[m.Arg(keyword=None, star="")],
        ),
    ):
        return None
    func = value.func
    if func.attr.value not in AT_METHODS:
        return None
    subscript = func.value
    return subscript.value.value.value, tuple(subscript.slice), func.attr.value, value.args[0].value


def find_outputs(
    body: Sequence[cst.BaseStatement],
    index: str | None,
    scalar_ints: set[str],
    read_elsewhere: Callable[[cst.CSTNode, str], bool],
) -> list[Output]:
    """Top-level ``x = x.at[idx].m(v)`` statements where ``x`` is read nowhere else in the body and
    ``idx`` selects a different element in every iteration (see :func:`_per_iteration_index`)."""
    if index is None:
        return []
    outputs = []
    for statement in body:
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            continue
        small = statement.body[0]
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
            continue
        update = at_update(small.value)
        if update is None:
            continue
        name, idx, method, value = update
        if name != small.targets[0].target.value or not _per_iteration_index(idx, index, scalar_ints):
            continue
        if name in reads_of(value) or read_elsewhere(statement, name):
            continue
        outputs.append(Output(name, idx, method, value, statement))
    return outputs


def _per_iteration_index(elements: Sequence[cst.SubscriptElement], index: str, scalar_ints: set[str]) -> bool:
    """``[i]``, or ``i`` once among Python ints (literals, indices of enclosing range loops) and,
    after ``i`` only, full slices ``:``. Replacing ``i`` by ``arange(...)`` then selects exactly
    the elements the iterations wrote, laid out in iteration order (the shape vmap produces)."""
    seen_index = False
    for element in elements:
        part = element.slice
        if isinstance(part, cst.Slice):
            if not seen_index or part.lower is not None or part.upper is not None or part.step is not None:
                return False
            continue
        value = part.value
        if m.matches(value, m.Name(index)) and not part.star:
            if seen_index:
                return False
            seen_index = True
        elif not (isinstance(value, cst.Integer) or (isinstance(value, cst.Name) and value.value in scalar_ints)):
            return False
    return seen_index


def find_conversions(body: Sequence[cst.BaseStatement], resolve: Resolve) -> list[cst.SimpleStatementLine]:
    """Top-level ``x = jnp.asarray(x)`` statements (the in-place codemod's "make sure it is a jax
    array before `.at`"). Only the first iteration converts anything, so they can run once before
    the loop instead; they are left out of the loop's data flow. Not one whose ``x`` an earlier
    statement of the body binds (``new = u.copy()`` then ``new = jnp.asarray(new)``): before the
    loop ``x`` may not exist yet, and in it every iteration makes a new ``x``."""
    found = []
    bound: set[str] = set()
    for statement in body:
        bound_before, bound = bound, bound | block_flow([statement]).written
        if m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())])])) \
                and statement.body[0].targets[0].target.value in bound_before:
            continue
        if not m.matches(
            statement,
            m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())], value=m.Call(args=[m.Arg(m.Name(), keyword=None, star="")]))]),
        ):
            continue
        assign = statement.body[0]
        if assign.targets[0].target.value == assign.value.args[0].value.value and resolve(assign.value.func) == "jax.numpy.asarray":
            found.append(statement)
    return found


def find_early_return(body: Sequence[cst.BaseStatement]) -> EarlyReturn | None:
    """The one top-level ``if test: return value`` (no ``else``) of a loop body, if there is one."""
    found = [
        statement for statement in body
        if m.matches(statement, m.If(body=m.IndentedBlock(body=[m.SimpleStatementLine(body=[m.Return()])]), orelse=None))
    ]
    if len(found) != 1:
        return None
    statement = found[0]
    return EarlyReturn(statement, statement.test, statement.body.body[0].body[0].value)


def find_trajectories(body: Sequence[cst.BaseStatement]) -> list[Trajectory]:
    """Top-level ``ys.append(v)`` statements (whether ``ys`` qualifies is checked by the caller)."""
    found = []
    for statement in body:
        if (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and m.matches(
                statement.body[0],
                m.Expr(m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("append")), args=[m.Arg(keyword=None, star="")])),
            )
        ):
            call = statement.body[0].value
            found.append(Trajectory(call.func.value.value, call.args[0].value, statement))
    return found


def _reduction(name: str, carried: set[str], statements: Sequence[cst.CSTNode], resolve: Resolve) -> bool:
    """Every write of ``name`` is ``name += e``, ``name = name + e`` or ``name = max(name, e)``-like,
    and ``e`` reads no carried name (``name`` included): it folds a value computed from the
    iteration alone."""
    writes = 0
    for small in _small_statements(statements):
        if name not in [n for t in assign_targets(small) for n in target_names(t)]:
            continue
        writes += 1
        if isinstance(small, cst.AugAssign) and isinstance(small.operator, (cst.AddAssign, cst.MultiplyAssign)):
            if not carried & set(reads_of(small.value)):
                continue
            return False
        value = small.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, (cst.Add, cst.Multiply)):
            if m.matches(value.left, m.Name(name)) and not carried & set(reads_of(value.right)):
                continue
        if isinstance(value, cst.Call) and resolve(value.func) in (
            "jax.numpy.maximum", "jax.numpy.minimum", "jax.numpy.fmax", "jax.numpy.fmin"
        ) and len(value.args) == 2 and m.matches(value.args[0].value, m.Name(name)) and not carried & set(reads_of(value.args[1].value)):
            continue
        return False
    return writes > 0


def _depends_on(carried: set[str], body: Sequence[cst.CSTNode]) -> set[str]:
    """Carried names and every name the body computes from them (a fixpoint over assignments)."""
    dependent = set(carried)
    assignments = [
        (names, set(reads_of(small.value)) if small.value is not None else set())
        for small in _small_statements(body)
        for names in [[n for t in assign_targets(small) for n in target_names(t)]]
        if names
    ]
    changed = True
    while changed:
        changed = False
        for names, reads in assignments:
            if reads & dependent and not set(names) <= dependent:
                dependent |= set(names)
                changed = True
    return dependent


def _small_statements(statements: Sequence[cst.CSTNode]) -> Iterable[cst.BaseSmallStatement]:
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.For, cst.While, cst.If)):
            yield from _small_statements(statement.body.body)
            if getattr(statement, "orelse", None) is not None:
                orelse = statement.orelse
                yield from _small_statements([orelse] if isinstance(orelse, cst.If) else orelse.body.body)


# -- liveness after the loop ------------------------------------------------------------------


def live_after(path: Sequence[cst.CSTNode], loop: cst.CSTNode, names: set[str],
               run_in_place: frozenset[cst.CSTNode] = frozenset()) -> set[str]:
    """Names among ``names`` that may be read after ``loop`` runs.

    ``path`` is the chain of nodes from the enclosing function (or module) down to the loop's
    parent. Conservative: any read before a plain re-assignment counts; code of enclosing loops
    runs again after the loop; reads inside nested functions anywhere in the scope count, except
    in ``run_in_place``: functions the loop defines and only runs there (see ``run_in_place``).
    """
    live: set[str] = set()
    pending = set(names)
    scope_root = path[0] if path else None
    if scope_root is not None:
        nested = _NestedFunctionReads(run_in_place)
        visit(None, scope_root, nested)
        live |= pending & nested.names
        pending -= live
    child: cst.CSTNode = loop
    for parent in reversed(path):
        if not pending:
            break
        statements = _block_of(parent, child)
        if statements is not None:
            after = statements[statements.index(child) + 1:]
            live |= _reads_before_kill(after, pending)
            pending -= live
        if isinstance(parent, (cst.For, cst.While)) and pending:
            # The enclosing loop runs its whole body (and test) again.
            again: list[cst.CSTNode] = list(parent.body.body)
            head = parent.test if isinstance(parent, cst.While) else parent.iter
            live |= pending & set(reads_of(head))
            pending -= live
            live |= _reads_before_kill(again, pending)
            pending -= live
        if isinstance(parent, (cst.FunctionDef, cst.Module)):
            break
        child = parent
    return live


def _block_of(parent: cst.CSTNode, child: cst.CSTNode) -> list[cst.CSTNode] | None:
    body = getattr(parent, "body", None)
    if isinstance(body, (list, tuple)) and child in body:
        return list(body)
    return None


def _reads_before_kill(statements: Sequence[cst.CSTNode], pending: set[str]) -> set[str]:
    live: set[str] = set()
    pending = set(pending)
    for statement in statements:
        flow = statement_flow(statement)
        live |= pending & flow.exposed
        pending -= live
        pending -= flow.surely
        if not pending:
            break
    return live


class _NestedFunctionReads(cst.CSTVisitor):
    def __init__(self, skipped: frozenset[cst.CSTNode] = frozenset()) -> None:
        self.names: set[str] = set()
        self.skipped = skipped
        self._depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._depth > 0 and node not in self.skipped:
            self.names |= free_names(node)
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        if node not in self.skipped:
            self.names |= set(reads_of(node))  # its parameters are its own, not reads of the scope's names


def run_in_place(loop: cst.CSTNode, scope_root: cst.CSTNode, resolve: Resolve) -> frozenset[cst.CSTNode]:
    """Functions ``loop`` defines whose every use in the scope is inside the loop, a call of it or
    a function handed to ``jax.lax`` (the branches the conditional codemod makes of an ``if``):
    they run where they are used, so what they read is read there, not after the loop. So do the
    lambdas of the scope handed to a jax transform that is called at once
    (``jax.vmap(lambda i: ...)(xs)``, the batched draws of the randomness codemod)."""
    scope_nodes, loop_nodes = list(walk(scope_root)), list(walk(loop))  # each walked once
    lambdas = {arg.value for call in scope_nodes if type(call) is cst.Call and type(call.func) is cst.Call
               and (resolve(call.func.func) or "").startswith("jax.") for arg in call.func.args
               if isinstance(arg.value, cst.Lambda)}
    defined = {node.name.value: node for node in loop_nodes if type(node) is cst.FunctionDef}
    if not defined:
        return frozenset(lambdas)
    calls = [node for node in loop_nodes if type(node) is cst.Call]
    inside = {id(node) for node in loop_nodes if type(node) is cst.Name}
    in_place = {id(call.func) for call in calls if type(call.func) is cst.Name} | {
        id(arg.value) for call in calls if (resolve(call.func) or "").startswith("jax.lax.") for arg in call.args}
    for name in scope_nodes:
        if (type(name) is cst.Name and name.value in defined and (id(name) not in inside or id(name) not in in_place)
                and name is not defined[name.value].name):
            defined.pop(name.value)
    return frozenset([*defined.values(), *lambdas])


# -- the whole loop ---------------------------------------------------------------------------


def analyze_loop(
    loop: cst.For | cst.While,
    path: Sequence[cst.CSTNode],
    resolve: Resolve,
    is_pure_function: Callable[[str], bool],
    is_static: Callable[[cst.CSTNode], bool] = lambda expr: False,
) -> LoopInfo:
    """Analyse ``loop``; ``path`` runs from its enclosing function (or module) to its parent;
    ``is_static`` says which expressions hold Python values (the value analysis' static kind)."""
    space = iteration_space(loop, resolve)
    conversions = find_conversions(loop.body.body, resolve)
    body = [statement for statement in loop.body.body if statement not in conversions]
    flow = block_flow(body)
    targets = set(target_names(space.target)) if space.target is not None else set()
    exposed = set(flow.exposed) | (set(reads_of(space.test)) if space.test is not None else set())
    written = flow.written - targets
    live_out = live_after(path, loop, written | targets, run_in_place(loop, path[0] if path else loop, resolve))

    def read_outside(statement: cst.CSTNode, name: str) -> bool:
        others = [s for s in body if s is not statement]
        return name in set().union(*(set(reads_of(s)) for s in others)) if others else False

    enclosing_indices = {
        node.target.value for node in path
        if isinstance(node, cst.For) and iteration_space(node, resolve).kind == "range"
    } - written - targets
    outputs = find_outputs(body, space.index_name, enclosing_indices, read_outside)
    trajectories = [t for t in find_trajectories(body) if not read_outside(t.statement, t.name)]
    trajectory_names = {t.name for t in trajectories}
    carried_set = (exposed & written) | (written & live_out)
    order = assigned_names(body)
    carried = [name for name in order if name in carried_set]

    early_return = find_early_return(body) if space.kind == "range" else None
    exit_statement = early_return
    selections = masked_selections(body, live_out, resolve)
    index_names = frozenset(enclosing_indices | (targets if space.kind == "range" else set()))
    ranges = [node for node in [*path, loop] if isinstance(node, cst.For) and isinstance(node.target, cst.Name)
              and iteration_space(node, resolve).kind == "range"]
    nonnegative = frozenset(node.target.value for node in ranges
                            if nonnegative_range([arg.value for arg in node.iter.args])) & index_names
    finder = BlockerFinder(resolve, is_pure_function, written | targets, {t.statement for t in trajectories}, is_static,
                           selections, index_names, nonnegative)
    for statement in body:
        if exit_statement is not None and statement is exit_statement.statement:
            if early_return is not None and early_return.value is not None:
                visit(None, early_return.value, finder)
            continue
        visit(None, statement, finder)
    blockers = finder.blockers
    if exit_statement is not None:  # and/or/not in its test are rewritten, so only calls matter
        blockers += side_effects_of(exit_statement.test, resolve, is_pure_function)
    if space.test is not None:  # and/or/not in a while test are rewritten, so only calls matter
        blockers += side_effects_of(space.test, resolve, is_pure_function)
    if isinstance(loop, cst.For):
        blockers += side_effects_of(loop.iter, resolve, is_pure_function, concrete_ok=True)
    # Control flow that leaves the iteration is the most telling reason: report it first.
    blockers.sort(key=lambda b: not isinstance(b.node, (cst.Break, cst.Continue, cst.Return, cst.Yield, cst.Raise)))
    breaks = _breaks(body)
    index_live_out = bool(targets & live_out)
    if not (breaks and space.kind == "range"):  # a counted while_loop carries its index out
        for name in sorted(targets & live_out):
            blockers.append(Blocker(loop, f"the loop variable `{name}` is read after the loop"))
    if space.kind == "other":
        blockers.append(Blocker(loop, f"iterates over `{code_of(loop.iter)}`, not over a range or an array"))
    dependent = _depends_on(set(carried), body)
    reductions = [name for name in carried if name not in trajectory_names and _reduction(name, dependent, body, resolve)]
    return LoopInfo(
        node=loop,
        space=space,
        exposed=exposed,
        written=written,
        carried=carried,
        live_out=live_out,
        outputs=outputs,
        reductions=reductions,
        trajectories=trajectories,
        blockers=blockers,
        conversions=conversions,
        early_return=early_return,
        breaks=breaks,
        index_live_out=index_live_out,
        windows=finder.windows,
        tails=finder.tails,
        wrapping_bounds=finder.wrapping_bounds,
        choices=finder.choices,
        selections=selections,
    )


def _breaks(body: Sequence[cst.CSTNode]) -> bool:
    """Whether ``body`` holds a `break` of its own loop (not of a loop nested in it)."""

    class _Breaks(cst.CSTVisitor):
        found = False

        def visit_Break(self, node: cst.Break) -> None:
            self.found = True

        def visit_For(self, node: cst.For) -> bool:
            return False

        def visit_While(self, node: cst.While) -> bool:
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    finder = _Breaks()
    for statement in body:
        visit(None, statement, finder)
    return finder.found


"""What blocks turning a loop into a JAX loop primitive: statements none can express exactly
(return, I/O, a call with effects, a growing container, a Python `and` on a traced value, ...),
each with its node for the finding's line. Effects come from :mod:`jaxify.analysis.effects`; this
module keeps the loop's policy (a traced loop body tolerates none of them).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.effects import Effect, effects_of
from jaxify.analysis.expressions import code_of, literal_number
from jaxify.analysis.loop_flow import reads_of
from jaxify.analysis.mask_selections import MaskedSelection, is_mask, reduced_use
from jaxify.analysis.numpy_api import STATIC_ATTRIBUTES
from jaxify.analysis.tree import visit

Resolve = Callable[[cst.CSTNode], "str | None"]

# Calls that make an array one piece longer each iteration: a shape no JAX loop carry can have.
GROWERS = frozenset({"jax.numpy.append", "jax.numpy.concatenate", "jax.numpy.hstack", "jax.numpy.vstack",
                     "jax.numpy.stack", "jax.numpy.column_stack", "jax.numpy.insert",
                     "numpy.append", "numpy.concatenate", "numpy.hstack", "numpy.vstack", "numpy.insert"})

# Calls that read only the shape of their argument (a loop carry's shape never changes).
SHAPE_OF = frozenset({"jax.numpy.shape", "numpy.shape", "jax.numpy.ndim", "numpy.ndim", "jax.numpy.size",
                      "numpy.size", "builtins.len"})

# Builtins a traced loop body may call on what it computes: codemods/loop_choices.py makes them selects.
CHOOSERS = {"builtins.min": "fmin", "builtins.max": "fmax"}


def is_traced_choice(call: cst.Call, qualified: str | None, traced: set[str]) -> bool:
    """``min(a, b, ...)`` / ``max(a, b, ...)`` with two or more plain arguments, reading ``traced``."""
    return (
        qualified in CHOOSERS and len(call.args) >= 2
        and all(arg.keyword is None and not arg.star for arg in call.args)
        and bool(set(reads_of(call)) & traced)
    )


def draw_shape(call: cst.Call, qualified: str | None) -> cst.BaseExpression | None:
    """The shape argument of a random draw: ``shape`` of a ``jax.random`` function (found by its
    signature), ``size=`` of a NumPy one; None for anything else."""
    if qualified is not None and qualified.startswith("numpy.random."):
        return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "size"), None)
    if qualified is None or not qualified.startswith("jax.random.") or any(arg.star for arg in call.args):
        return None
    names = _parameter_names(qualified)
    for position, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else names[position] if position < len(names) else None
        if name == "shape":
            return arg.value
    return None


@functools.cache
def _parameter_names(qualified: str) -> tuple[str, ...]:
    """The parameters of a ``jax.random`` function, in order (none when it has no signature)."""
    import inspect
    import jax.random  # only for code that already draws with jax.random

    try:
        return tuple(inspect.signature(getattr(jax.random, qualified[len("jax.random."):], None)).parameters)
    except (TypeError, ValueError):
        return ()


@dataclasses.dataclass(frozen=True)
class Blocker:
    node: cst.CSTNode
    reason: str


# -- blockers -------------------------------------------------------------------------------


class BlockerFinder(cst.CSTVisitor):
    """Statements inside one loop's body that no loop primitive can express exactly."""

    def __init__(self, resolve: Resolve, is_pure_function: Callable[[str], bool], loop_writes: set[str],
                 trajectory_statements: set[cst.CSTNode], is_static: Callable[[cst.CSTNode], bool] = lambda e: False,
                 selections: Sequence[MaskedSelection] = (), index_names: frozenset[str] = frozenset(),
                 nonnegative: frozenset[str] = frozenset()):
        self.resolve = resolve
        self.index_names = set(index_names)  # range loop variables here (nested loops' too): integer scalars
        self.nonnegative = set(nonnegative)  # those whose range never goes below 0
        self.tails: list[cst.Call] = []  # `np.dot(U[i, i + 1:], x[i + 1:])`: reductions over masked axes
        self.wrapping_bounds: set[str] = set()  # tail bounds that may be negative (Python counts them from the end)
        self.selections = selections  # boolean-mask selections only reduced: they become masked sums
        self.is_pure_function = is_pure_function
        self.is_static = is_static
        self.loop_writes = loop_writes
        self.trajectory_statements = trajectory_statements
        self.blockers: list[Blocker] = []
        self.windows: list[cst.Subscript] = []  # `x[i:i + k]` reads: lax.dynamic_slice, if in bounds
        self.choices = False  # the body holds a builtin min/max or an `a if c else b` of traced values

    def _block(self, node: cst.CSTNode, reason: str) -> None:
        self.blockers.append(Blocker(node, reason))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return node not in self.trajectory_statements

    def visit_For(self, node: cst.For) -> None:
        if node.orelse is not None:
            self._block(node, "a `for ... else` clause")
        if isinstance(node.target, cst.Name) and isinstance(node.iter, cst.Call) and self.resolve(
                node.iter.func) == "builtins.range":
            self.index_names.add(node.target.value)
            if nonnegative_range([arg.value for arg in node.iter.args]):
                self.nonnegative.add(node.target.value)

    def visit_While(self, node: cst.While) -> None:
        if node.orelse is not None:
            self._block(node, "a `while ... else` clause")

    def visit_Return(self, node: cst.Return) -> None:
        self._block(node, "`return` inside the loop")

    def visit_Yield(self, node: cst.Yield) -> None:
        self._block(node, "`yield` inside the loop")

    def visit_Await(self, node: cst.Await) -> None:
        self._block(node, "`await` inside the loop")

    def visit_Raise(self, node: cst.Raise) -> None:
        self._block(node, "`raise`: a traced loop cannot raise on a value")

    def visit_Assert(self, node: cst.Assert) -> None:
        self._block(node, "`assert` on a value computed in the loop")

    def visit_Del(self, node: cst.Del) -> None:
        self._block(node, "`del`")

    def visit_Global(self, node: cst.Global) -> None:
        self._block(node, "a `global` declaration")

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self._block(node, "a `nonlocal` declaration")

    def visit_With(self, node: cst.With) -> None:
        self._block(node, "a `with` block")

    def visit_Try(self, node: cst.Try) -> None:
        self._block(node, "a `try` block")

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._block(node, "a class definition")
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._block(node, "an assignment expression (`:=`)")

    def visit_If(self, node: cst.If) -> bool:
        # An `if` on a value the loop computes is lowered with the loop (codemods/loop_masks.py),
        # its `and`/`or`/`not` as `jnp.logical_*`: of its test only the calls matter here.
        for call in m.findall(node.test, m.Call()):
            self.visit_Call(call)
        visit(None, node.body, self)
        if node.orelse is not None:
            visit(None, node.orelse, self)
        return False

    def _depends(self, node: cst.CSTNode | None) -> list[str]:
        return sorted(set(reads_of(node)) & self.loop_writes) if node is not None else []

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if self._depends(node):
            self._block(node, "Python `and`/`or` on a traced value (use `jnp.logical_and`/`jnp.logical_or`)")

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not) and self._depends(node):
            self._block(node, "Python `not` on a traced value (use `jnp.logical_not`)")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        if self._depends(node.test):
            self.choices = True  # `a if c else b` becomes `jnp.where(c, a, b)` (codemods/loop_choices.py)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) > 1 and self._depends(node):
            self._block(node, "a chained comparison on traced values")

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        if all(node is not selection.subscript for selection in self.selections) and not m.matches(
            node.value, m.Attribute(attr=m.Name("at"))) and any(
            isinstance(element.slice, cst.Index) and is_mask(element.slice.value) for element in node.slice
        ):
            self._block(node, f"`{code_of(node)}` selects with a boolean mask: its shape depends on the data, "
                              "which no traced loop body can have")
        parts = window_parts(node)
        windows = [part for part in parts or () if part is not None]
        if any(self._depends(lower) for lower, _ in windows) and not any(self._depends(k) for _, k in windows):
            self.windows.append(node)
            visit(None, node.value, self)
            for lower, _ in windows:
                visit(None, lower, self)
            return False
        return True

    def visit_Slice(self, node: cst.Slice) -> None:
        if self._depends(node.lower) or self._depends(node.upper) or self._depends(node.step):
            self._block(node, "a slice whose bounds change every iteration (a traced slice needs `lax.dynamic_slice`)")

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_target(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._check_target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check_target(node.target)

    def _check_target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript):
            self._block(target, f"item assignment to `{code_of(target.value)}`")
        elif isinstance(target, cst.Attribute):
            self._block(target, f"attribute assignment to `{code_of(target)}`")
        elif isinstance(target, cst.StarredElement):
            self._block(target, "starred assignment")
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._check_target(element.value)

    def visit_Call(self, node: cst.Call) -> bool:
        if self._tail_reduction(node):
            self.tails.append(node)
            for arg in node.args:  # all but the slice itself, whose bound may change every iteration
                visit(None, arg.value.value, self)
                for element in arg.value.slice:
                    visit(None, element.slice.lower or element.slice.upper if isinstance(element.slice, cst.Slice)
                          else element.slice.value, self)
            return False
        if any(reduced_use(node, selection.name) for selection in self.selections):
            return  # a count or a sum of the selected rows (codemods/loop_mask_reductions.py)
        if is_traced_choice(node, self.resolve(node.func), self.loop_writes):
            self.choices = True  # a select keeps Python's choice (codemods/loop_choices.py)
            return
        reason = None if self._static_host_call(node) else call_blocker(node, self.resolve, self.is_pure_function)
        if reason:
            self._block(node, reason)
        qualified = self.resolve(node.func)
        if qualified in GROWERS:
            grown = sorted(set(reads_of(node)) & self.loop_writes)
            if grown:
                self._block(node, f"`{grown[0]}` changes shape every iteration (`{qualified.split('.')[-1]}`)")
        shape = draw_shape(node, qualified)
        changing = sorted(self._value_reads(shape) & self.loop_writes) if shape is not None else []
        if changing:
            self._block(node, f"the shape of the draw `{code_of(node)}` changes with the loop (`{changing[0]}`): "
                              "a JAX loop keeps every shape fixed")

    def _value_reads(self, node: cst.CSTNode) -> set[str]:
        """Names ``node`` reads for their values: not those it reads only for a shape or dtype
        (``x.shape``, ``jnp.shape(x)``, ``len(x)``), which a JAX loop keeps fixed."""
        if isinstance(node, cst.Attribute) and node.attr.value in STATIC_ATTRIBUTES:
            return set()
        if isinstance(node, cst.Call) and self.resolve(node.func) in SHAPE_OF:
            return set()
        if isinstance(node, cst.Name):
            return {node.value}
        found: set[str] = set()
        for child in node.children:
            found |= self._value_reads(child)
        return found

    def _tail_reduction(self, call: cst.Call) -> bool:
        """``np.sum(x[..., lo:])`` / ``np.dot(U[i, lo:], x[lo:])`` (``:hi`` likewise) where the bound
        changes every iteration: every argument a tail (``tail_slice``) with the same bound, the
        bound and the other indices integer arithmetic on range variables and literals."""
        if self.resolve(call.func) not in TAIL_REDUCTIONS or any(arg.keyword or arg.star for arg in call.args):
            return False
        if len(call.args) != (2 if self.resolve(call.func).endswith("dot") else 1):
            return False
        bounds = set()
        for arg in call.args:
            if not isinstance(arg.value, cst.Subscript) or (tail := tail_slice(arg.value)) is None:
                return False
            bound = tail.lower or tail.upper
            indices = [element.slice.value for element in arg.value.slice[:-1]]
            if not self._depends(bound) or not all(self._integer_scalar(e) for e in [bound, *indices]):
                return False
            bounds.add(("lower" if tail.lower else "upper", code_of(bound)))
            if not self._nonnegative(bound):
                self.wrapping_bounds.add(code_of(bound))
        return len(bounds) == 1

    def _nonnegative(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Integer) or isinstance(expr, cst.Name) and expr.value in self.nonnegative:
            return True
        return isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Multiply)) and (
            self._nonnegative(expr.left) and self._nonnegative(expr.right))

    def _integer_scalar(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Integer) or isinstance(expr, cst.Name) and expr.value in self.index_names:
            return True
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract, cst.Multiply)):
            return self._integer_scalar(expr.left) and self._integer_scalar(expr.right)
        return False

    def _static_host_call(self, call: cst.Call) -> bool:
        """NumPy, math or a builtin on values static outside the loop (`np.empty(n)`,
        `np.arange(k)`, `math.sqrt(2.0)`, `min(a.shape)`) builds a constant when the body is
        traced, as it does under jit; on anything the loop computes it would raise."""
        qualified = self.resolve(call.func) or ""
        return (
            qualified.startswith(("numpy.", "math.", "builtins.")) and not self._depends(call)
            and effects_of(call, self.resolve, self.is_pure_function) <= {Effect.HOST_NUMPY, Effect.CONCRETE}
            and all(self.is_static(arg.value) for arg in call.args)
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # A nested function runs only when called; its body is checked where it is called
        # (an unknown local function is not pure), except for what it reads.
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True


def call_blocker(call: cst.Call, resolve: Resolve, is_pure_function: Callable[[str], bool]) -> str | None:
    """Why this call cannot run inside a traced loop body, or None when it can: any effect at all
    (see :mod:`jaxify.analysis.effects`) blocks it."""
    effects = effects_of(call, resolve, is_pure_function)
    if not effects:
        return None
    func = call.func
    qualified = resolve(func)
    if Effect.GLOBAL_RANDOM in effects:
        return f"draws from a global random state (`{qualified}`)"
    if Effect.HOST_CALLBACK in effects:
        # Legal in a loop primitive, but the pipeline turns `print` into `jax.debug.print`
        # after this codemod: refusing both keeps a second run from changing the result.
        return f"a host callback (`{qualified}`)"
    if qualified is not None and qualified.startswith("builtins."):
        name = qualified.split(".", 1)[1]
        if Effect.IO in effects:
            return f"I/O (`{name}`)"
        if Effect.CONCRETE in effects:
            return f"`{name}(...)` needs a concrete value; in a traced loop body it raises"
        return f"calls `{name}`, not known to be traceable"
    if qualified is not None and qualified.startswith("numpy.") and Effect.IO in effects:
        return f"I/O (`{qualified}`): a traced body would run it once, when it is traced"
    if qualified is not None and qualified.startswith("numpy."):
        return f"calls NumPy (`{qualified}`), which cannot take traced values"
    if qualified is not None:
        return f"calls `{qualified}`, not known to be pure"
    if isinstance(func, cst.Attribute) and not isinstance(func.value, cst.Call):
        method = func.attr.value
        if Effect.MUTATES_RECEIVER in effects:
            return f"mutates `{code_of(func.value)}` (`.{method}`)"
        if Effect.CONCRETE in effects:
            return f"`.{method}()` needs a concrete value; in a traced loop body it raises"
    return f"calls `{code_of(func)}`, not known to be pure"


def nonnegative_range(args: Sequence[cst.BaseExpression]) -> bool:
    """``range(stop)``, ``range(start, ...)`` from a literal ``start >= 0`` counting up, or a range
    counting down to a literal ``stop >= -1``: every value is ``>= 0``."""
    def literal(expr):  # an integer literal's value (bools and floats are no range bounds)
        value = literal_number(expr)
        return value if type(value) is int else None

    if len(args) == 1:
        return True
    step = literal(args[2]) if len(args) == 3 else 1
    if step is None:
        return False
    start, stop = literal(args[0]), literal(args[1])
    return start is not None and start >= 0 if step > 0 else stop is not None and stop >= -1


TAIL_REDUCTIONS = frozenset({"numpy.sum", "numpy.dot", "jax.numpy.sum", "jax.numpy.dot"})


def tail_slice(subscript: cst.Subscript) -> cst.Slice | None:
    """The slice of ``x[i, j, lo:]`` / ``x[:hi]``: the last element a slice with one bound and no
    step, every element before it an index (not a slice). None otherwise."""
    *indices, last = subscript.slice
    part = last.slice
    if not isinstance(part, cst.Slice) or part.step is not None or (part.lower is None) == (part.upper is None):
        return None
    return part if all(isinstance(element.slice, cst.Index) for element in indices) else None


def window_parts(subscript: cst.Subscript) -> list[tuple[cst.BaseExpression, cst.Integer | cst.Name] | None] | None:
    """``[(s, k), None, (t, l)]`` for a read ``x[s:s + k, :, t:t + l]`` (every axis a window with no
    step, each ``k`` a positive literal or a name, or a whole axis: None), else None. A name must not
    change in the loop (the caller checks), and is static under jit: it is the window's shape (the
    size argument of ``lax.dynamic_slice``, a static argument of the jit codemod)."""
    if m.matches(subscript.value, m.Attribute(attr=m.Name("at"))):
        return None
    parts: list[tuple[cst.BaseExpression, cst.Integer | cst.Name] | None] = []
    for element in subscript.slice:
        part = element.slice
        if m.matches(part, m.Slice(lower=None, upper=None, step=None)):
            parts.append(None)
            continue
        if not isinstance(part, cst.Slice) or part.step is not None or part.lower is None:
            return None
        upper = part.upper
        if not m.matches(upper, m.BinaryOperation(operator=m.Add(), right=m.Integer() | m.Name())):
            return None
        if not upper.left.deep_equals(part.lower) or isinstance(upper.right, cst.Integer) and upper.right.evaluated_value <= 0:
            return None
        parts.append((part.lower, upper.right))
    return parts if any(parts) else None


class SideEffectFinder(BlockerFinder):
    """Inside a called function only side effects matter: control flow there is the function's own,
    and a NumPy call there is pure (it fails loudly, never silently, if a traced value reaches it)."""

    allowed: frozenset[Effect] = frozenset({Effect.HOST_NUMPY})

    def visit_Call(self, node: cst.Call) -> None:
        if effects_of(node, self.resolve, self.is_pure_function) - self.allowed:
            self._block(node, call_blocker(node, self.resolve, self.is_pure_function))

    def visit_Return(self, node: cst.Return) -> None: ...
    def visit_Raise(self, node: cst.Raise) -> None: ...
    def visit_Assert(self, node: cst.Assert) -> None: ...
    def visit_If(self, node: cst.If) -> None: ...
    def visit_Try(self, node: cst.Try) -> None: ...
    def visit_With(self, node: cst.With) -> None: ...


def side_effects_of(node: cst.CSTNode, resolve: Resolve, is_pure_function: Callable[[str], bool],
                    concrete_ok: bool = False) -> list[Blocker]:
    """What makes running ``node`` (a function's body, an expression) impure: I/O, global state,
    mutation, impure calls. ``concrete_ok``: ``node`` runs once, outside the traced body (a loop's
    range), so a call that needs a concrete value (``min(a.shape)``) is no blocker here; on a traced
    value the jit codemod's own check names it."""
    finder = SideEffectFinder(resolve, is_pure_function, set(), set())
    if concrete_ok:
        finder.allowed = frozenset({Effect.HOST_NUMPY, Effect.CONCRETE})
    if isinstance(node, cst.FunctionDef):
        for statement in node.body.body:
            visit(None, statement, finder)
    else:
        visit(None, node, finder)
    return finder.blockers

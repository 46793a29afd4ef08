"""Syntactic facts about a loop and the function around it, for the loop planner
(:mod:`jaxify.codemods.loops`): names a loop reads and binds, how its range and sequences read as
text, which statements it may move, and the small transformers its rewrite applies to the body.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis import Kind
from jaxify.analysis.expressions import split_chain
from jaxify.analysis.loop_blockers import tail_slice, window_parts
from jaxify.analysis.loop_flow import block_flow, reads_of
from jaxify.analysis.loops import STACKERS, LoopInfo
from jaxify.analysis.tree import TreeIndex, visit, walk
from jaxify.codemods import loop_builders as build

def identifiers(node: cst.CSTNode, tree: TreeIndex | None = None) -> set[str]:
    """Every name that appears in ``node``; ``tree``, here and below: the module's kept children
    and walks, when the caller has them."""
    return {name.value for name in walk(node, tree) if type(name) is cst.Name}


def functions_by_name(module: cst.Module, tree: TreeIndex | None = None) -> dict[str, list[cst.FunctionDef]]:
    found: dict[str, list[cst.FunctionDef]] = {}
    for node in walk(module, tree):
        if type(node) is cst.FunctionDef:
            found.setdefault(node.name.value, []).append(node)
    return found


class DynamicSlices(cst.CSTTransformer):
    """``x[s:s + k]`` -> ``lax.dynamic_slice_in_dim(x, s, k)`` (``x[:, s:s + k]``: with ``axis=1``)
    and ``x[s:s + k, t:t + l]`` -> ``lax.dynamic_slice(x, (s, t), (k, l))`` for the windows the
    analysis found."""

    def __init__(self, windows: Sequence[cst.Subscript]) -> None:
        self.windows = windows

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if not any(original_node.deep_equals(window) for window in self.windows):
            return updated_node
        array = build.code(updated_node.value)
        parts = [(build.code(part[0]), build.code(part[1])) if part else ("0", f"{array}.shape[{axis}]")
                 for axis, part in enumerate(window_parts(updated_node))]
        windows = [axis for axis, part in enumerate(window_parts(updated_node)) if part is not None]
        if len(windows) == 1:  # whole axes after it are kept by dynamic_slice_in_dim, those before by `axis`
            start, size = parts[windows[0]]
            axis = f", axis={windows[0]}" if windows[0] else ""
            return cst.parse_expression(f"lax.dynamic_slice_in_dim({array}, {start}, {size}{axis})")
        starts, sizes = (", ".join(part[k] for part in parts) for k in (0, 1))
        return cst.parse_expression(f"lax.dynamic_slice({array}, ({starts}), ({sizes}))")


class TailMasks(cst.CSTTransformer):
    """``np.dot(U[i, i + 1:], x[i + 1:])`` -> ``jnp.dot(jnp.where(jnp.arange(U.shape[1]) >= i + 1, U[i, :], 0),
    jnp.where(jnp.arange(x.shape[0]) >= i + 1, x, 0))`` (``np.sum`` likewise; ``:hi`` masks with
    ``< hi``) for the reductions the analysis found (``tail_slice``): a slice whose length changes
    every iteration has no traced form, the whole axis with zeros outside it has the same sum."""

    def __init__(self, tails: Sequence[cst.Call], wrapping: set[str] = frozenset()) -> None:
        self.tails = tails
        self.wrapping = wrapping  # bounds that may be negative: Python counts them from the axis's end

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not any(original_node.deep_equals(tail) for tail in self.tails):
            return updated_node
        name = "dot" if len(updated_node.args) == 2 else "sum"
        masked = ", ".join(_masked_tail(arg.value, self.wrapping) for arg in updated_node.args)
        return cst.parse_expression(f"jnp.{name}({masked})")


def _masked_tail(subscript: cst.Subscript, wrapping: set[str]) -> str:
    tail = tail_slice(subscript)
    array, axis = build.code(subscript.value), len(subscript.slice) - 1
    bound = build.code(tail.lower if tail.lower is not None else tail.upper)
    if bound in wrapping:  # `x[i - 1:]` at i == 0 is `x[-1:]`: the last element
        bound = f"jnp.where({bound} < 0, {bound} + {array}.shape[{axis}], {bound})"
    test = f">= {bound}" if tail.lower is not None else f"< {bound}"
    whole = subscript.with_changes(slice=[*subscript.slice[:-1], cst.SubscriptElement(cst.Slice(None, None))])
    axis_values = array if axis == 0 else build.code(whole)
    return f"jnp.where(jnp.arange({array}.shape[{axis}]) {test}, {axis_values}, 0)"


class HostArrayReads(cst.CSTTransformer):
    """``x[i]`` -> ``x_jax[i]`` (``view_of(x)``, converted once before the loop, see
    ``loop_hoist.py``), or ``jnp.asarray(x)[i]`` when ``view_of`` gives None, where ``x`` comes
    from outside the loop and the index varies with it. Inside a JAX loop the index is traced, and
    a NumPy array (what legacy callers pass) cannot be indexed by a tracer; ``jnp.asarray`` of a
    jax array is the array itself. ``views`` collects the views used (name -> view)."""

    def __init__(self, varying: set[str], jax_bound: set[str], view_of) -> None:
        self.varying = varying
        self.jax_bound = jax_bound
        self.view_of = view_of
        self.wrapped = False
        self.views: dict[str, str] = {}

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        base = updated_node.value
        if not isinstance(base, cst.Name) or base.value in self.varying or base.value in self.jax_bound:
            return updated_node
        if not set().union(*(identifiers(element) for element in original_node.slice)) & self.varying:
            return updated_node
        self.wrapped = True
        view = self.view_of(base.value)
        if view is None:
            return updated_node.with_changes(value=cst.parse_expression(f"jnp.asarray({base.value})"))
        self.views[base.value] = view
        return updated_node.with_changes(value=cst.Name(view))


def jax_bound_names(function: cst.CSTNode, resolve) -> set[str]:
    """Names the function binds only to results of jax calls (already jax arrays)."""
    jax_valued: set[str] = set()
    other: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    call = node.value
                    while isinstance(call, cst.Call) and isinstance(call.func, cst.Call):
                        call = call.func  # `jax.vmap(f)(xs)`: what a jax transform makes returns jax arrays
                    qualified = resolve(call.func) if isinstance(call, cst.Call) else None
                    (jax_valued if qualified and qualified.startswith("jax.") else other).add(target.target.value)

    visit(None, function, Collect())
    return jax_valued - other


ARRAY_MODULES = ("jax", "numpy")


class JaxUse(cst.CSTVisitor):
    """Does a loop call into jax or NumPy, update an array with `.at[...]`, or use a name the
    value-kind analysis knows to be an array?"""

    def __init__(self, resolve, analysis, helper_uses_jax) -> None:
        self.resolve = resolve
        self.analysis = analysis
        self.helper_uses_jax = helper_uses_jax
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and self.resolve(node.func) is None and self.helper_uses_jax(node.func.value):
            self.found = True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value == "at":
            self.found = True
        qualified = self.resolve(node)
        if qualified is not None and qualified.split(".")[0] in ARRAY_MODULES:
            self.found = True
            return False
        return not self.found

    def visit_Name(self, node: cst.Name) -> None:
        qualified = self.resolve(node)
        if qualified is not None and qualified.split(".")[0] in ARRAY_MODULES:
            self.found = True
        elif qualified is None and self.analysis.kind_of(node) == Kind.ARRAY:
            self.found = True


class NestedLoops(cst.CSTVisitor):
    def __init__(self) -> None:
        self.loops: list[cst.CSTNode] = []

    def visit_For(self, node: cst.For) -> None:
        self.loops.append(node)

    def visit_While(self, node: cst.While) -> None:
        self.loops.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


CONTAINER_KINDS = {
    cst.Tuple: "tuple", cst.List: "list", cst.Dict: "dict", cst.Set: "set", cst.ListComp: "list",
    cst.DictComp: "dict", cst.SetComp: "set", cst.SimpleString: "string", cst.ConcatenatedString: "string",
    cst.FormattedString: "string",
}


def python_container_names(function: cst.CSTNode) -> dict[str, cst.CSTNode]:
    """Names the function ever binds to a tuple, list, dict, set or string display (``shape = ()``,
    ``shape += (n,)``), with the first such value: none of them can be a loop carry."""
    found: dict[str, cst.CSTNode] = {}

    class Collect(cst.CSTVisitor):
        def _note(self, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
            if isinstance(target, cst.Name) and type(value) in CONTAINER_KINDS:
                found.setdefault(target.value, value)

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                self._note(target.target, node.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._note(node.target, node.value)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._note(node.target, node.value)

    visit(None, function, Collect())
    return found


def bound_before(scope: Sequence[cst.CSTNode], loop: cst.CSTNode) -> set[str]:
    """Names the enclosing function binds before ``loop`` starts (parameters included)."""
    function = scope[0]
    bound: set[str] = set()
    if isinstance(function, cst.FunctionDef):
        params = function.params
        bound |= {p.name.value for p in [*params.params, *params.kwonly_params, *params.posonly_params]}
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                bound.add(star.name.value)
    chain = [*scope[1:], loop]
    for parent, child in zip(scope, chain):
        if isinstance(parent, cst.For):
            bound |= set(reads_of(parent.target))
        statements = getattr(parent, "body", None)
        if isinstance(statements, (list, tuple)) and child in statements:
            bound |= block_flow(statements[: statements.index(child)]).written
    return bound


def trajectory_problem(name: str, scope: Sequence[cst.CSTNode], info: LoopInfo, resolve) -> str | None:
    """Why ``name.append(...)`` in this loop cannot become a stacked scan output, or None."""
    function = scope[0]
    nodes = list(walk(function))
    creations = [node for node in nodes if _creates_empty_list(node, name)]
    if len(creations) != 1 or name not in bound_before(scope, info.node):
        return f"`{name}` is not a list created empty (`{name} = []`) once before the loop"
    allowed = {id(call.args[0].value) for call in stacking_calls(name, function, resolve)}
    exempt = {id(node) for container in (info.trajectories[0].statement, *creations)
              for node in walk(container)}
    if any(type(node) is cst.Name and node.value == name and id(node) not in allowed | exempt for node in nodes):
        return f"`{name}` is used as a list outside `{name}.append(...)` and `jnp.array({name})`"
    return None


def _creates_empty_list(node: cst.CSTNode, name: str) -> bool:
    """``name = []``."""
    return (type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name
            and node.targets[0].target.value == name and type(node.value) is cst.List and not node.value.elements)


def stacking_calls(name: str, function: cst.CSTNode, resolve) -> list[cst.Call]:
    """``jnp.array(name)``, ``np.stack(name)``, ... calls in ``function``."""
    return [
        node for node in walk(function)
        if type(node) is cst.Call and len(node.args) == 1 and _is_plain_name_argument(node.args[0], name)
        and resolve(node.func) in STACKERS
    ]


def _is_plain_name_argument(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is None and arg.star == "" and type(arg.value) is cst.Name and arg.value.value == name


def inside(node: cst.CSTNode, container: cst.CSTNode) -> bool:
    """Whether ``node`` (code, not formatting) is ``container`` or under it."""
    return any(candidate is node for candidate in walk(container))


def moved_value_problem(statement: cst.CSTNode, value: cst.BaseExpression, body: Sequence[cst.CSTNode]) -> str | None:
    """The value is returned at the end of the body function: later statements must not change it."""
    later = list(body)[list(body).index(statement) + 1:]
    changed = sorted(set(reads_of(value)) & block_flow(later).written)
    if changed:
        return f"`{changed[0]}` is reassigned after the value that depends on it is stored"
    return None


def assigns_index(info: LoopInfo) -> bool:
    """Does the body rebind the loop variable? (Harmless in Python; fatal for a while-loop counter.)"""
    return info.space.index_name in block_flow(info.node.body.body).written


def distinct_indices(space) -> bool:
    """The range never goes negative, so its indices name distinct elements (a negative index
    wraps around onto an element a later iteration writes, and a scatter of repeated positions has
    no defined order, where the loop's last write wins)."""
    start_ok = space.start is None or (isinstance(space.start, cst.Integer) and space.start.evaluated_value >= 0)
    step_ok = space.step is None or (isinstance(space.step, cst.Integer) and space.step.evaluated_value > 0)
    return start_ok and step_ok


def range_args(space) -> str:
    parts = [space.start, space.stop, space.step]
    return ", ".join(build.code(part) for part in parts if part is not None)


def sequence_leaves(sequences, resolve) -> list[cst.BaseExpression]:
    leaves = []
    for sequence in sequences:
        if isinstance(sequence, cst.Call) and resolve(sequence.func) == "builtins.zip":
            leaves += sequence_leaves([arg.value for arg in sequence.args], resolve)
        else:
            leaves.append(sequence)
    return leaves


def sequence_text(sequence: cst.BaseExpression, resolve, is_array) -> str:
    """The scanned form of a sequence: a leaf not known to be an array is converted, since
    `lax.scan` reads a tuple or list as a pytree of separate leaves, not as an axis to scan over."""
    if isinstance(sequence, cst.Call) and resolve(sequence.func) == "builtins.zip":
        return "(" + ", ".join(sequence_text(arg.value, resolve, is_array) for arg in sequence.args) + ")"
    text = build.code(sequence)
    return text if is_array(sequence) else f"jnp.asarray({text})"


def xs_text(space, resolve, is_array) -> str:
    if space.kind == "enumerate":
        sequence = space.sequences[0]
        first = first_leaf(sequence, resolve)
        length = f"len({build.code(first)})"
        if space.start is not None:
            start = build.code(space.start)
            index = f"jnp.arange({start}, {start} + {length})"
        else:
            index = f"jnp.arange({length})"
        return f"({index}, {sequence_text(sequence, resolve, is_array)})"
    if space.kind == "zip":
        return "(" + ", ".join(sequence_text(s, resolve, is_array) for s in space.sequences) + ")"
    return sequence_text(space.sequences[0], resolve, is_array)


def first_leaf(sequence, resolve):
    return sequence_leaves([sequence], resolve)[0]


def traced_test(test: cst.BaseExpression, resolve) -> str | None:
    """The loop condition with `and` / `or` / `not` as `jnp.logical_*`; None if it cannot be traced."""
    if isinstance(test, cst.BooleanOperation):
        left, right = traced_test(test.left, resolve), traced_test(test.right, resolve)
        if left is None or right is None:
            return None
        function = "logical_and" if isinstance(test.operator, cst.And) else "logical_or"
        return f"jnp.{function}({left}, {right})"
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = traced_test(test.expression, resolve)
        return None if inner is None else f"jnp.logical_not({inner})"
    if isinstance(test, cst.Comparison) and len(test.comparisons) > 1:
        return _chained_comparison(test)
    return build.code(test)


def _chained_comparison(test: cst.Comparison) -> str | None:
    """``a <= v < b`` as ``jnp.logical_and(a <= v, v < b)`` (see ``split_chain``); None if it cannot be split."""
    links = split_chain(test)
    if links is None:
        return None
    text = build.code(links[0])
    for link in links[1:]:
        text = f"jnp.logical_and({text}, {build.code(link)})"
    return text


def is_jit(decorator: cst.BaseExpression, resolve) -> bool:
    if resolve(decorator) == "jax.jit":
        return True
    if isinstance(decorator, cst.Call):
        if resolve(decorator.func) == "jax.jit":
            return True
        if resolve(decorator.func) == "functools.partial" and decorator.args:
            return resolve(decorator.args[0].value) == "jax.jit"
    return False


def lambda_body(value: cst.BaseExpression | None) -> str:
    """The text of a returned value as a lambda's body (a bare tuple needs parentheses there)."""
    if value is None:
        return ""
    text = build.code(value)
    return f"({text})" if isinstance(value, cst.Tuple) and not value.lpar else text


def summary_of_carry(names) -> str:
    return "carries " + ", ".join(f"`{n}`" for n in names)


def substitute_copies(value: cst.BaseExpression | None, later: Sequence[cst.SimpleStatementLine]):
    """``value`` as read after ``later`` ran, or None when ``later`` changes what it reads.

    ``later`` may copy a name (``a = b``, ``b`` never written in ``later``, ``a`` written only
    there): then reading ``a`` afterwards is reading ``b`` before, and ``b`` is replaced by ``a``.
    """
    if value is None:
        return None
    written = block_flow(later).written
    copies: dict[str, str] = {}
    for statement in later:
        for small in statement.body:
            if m.matches(small, m.Assign(targets=[m.AssignTarget(m.Name())], value=m.Name())):
                copies[small.value.value] = small.targets[0].target.value
    write_counts: dict[str, int] = {}
    for statement in later:
        for small in statement.body:
            for target in getattr(small, "targets", ()):
                for name in reads_of(target.target):
                    write_counts[name] = write_counts.get(name, 0) + 1
    renames = {
        source: target for source, target in copies.items()
        if source not in written and write_counts.get(target, 0) == 1
    }
    renamed = value.visit(Rename(renames))
    if set(reads_of(renamed)) & (written - set(renames.values())):
        return None
    return renamed


class Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.names.get(updated_node.value, updated_node.value))


def loop_summary(info: LoopInfo) -> str:
    parts = []
    carried = [n for n in info.carried]
    if carried:
        described = [f"`{n}` (reduction)" if n in info.reductions else f"`{n}`" for n in carried]
        parts.append("carries " + ", ".join(described))
    else:
        parts.append("no carried state")
    if info.trajectories:
        parts.append(f"stacks `{info.trajectories[0].name}` per iteration")
    trips = info.space.trip_count_text()
    if trips:
        parts.append(f"{trips} iterations")
    elif info.space.kind in ("array", "enumerate", "zip"):
        parts.append("one iteration per leading-axis entry")
    elif info.space.kind == "while":
        parts.append("data-dependent trip count")
    return "; ".join(parts)


def unrolled_note(path: Sequence[cst.CSTNode], info: LoopInfo | None, resolve) -> str:
    """What a loop left alone costs when the function around it (innermost of ``path``) is jitted."""
    function = next((node for node in reversed(path) if isinstance(node, cst.FunctionDef)), None)
    if function is None or not any(is_jit(d.decorator, resolve) for d in function.decorators):
        return ""
    trips = info.space.trip_count_text() if info is not None else None
    if info is not None and info.space.kind == "while":
        return "; under `jax.jit` a Python `while` on a traced value fails to trace"
    count = f"{trips} iterations" if trips else "one copy of the body per iteration"
    return f"; `{function.name.value}` is jitted, so jit unrolls this loop at trace time ({count})"

"""Python loops -> `jax.vmap`, `lax.scan`, `lax.fori_loop`, `lax.while_loop` (JX3xx).

## What it does
Reads each `for` / `while` loop that works on arrays (after the in-place codemod turned
`out[i] = v` into `out = out.at[i].set(v)`), works out what it carries from one iteration to the
next, and replaces it with the JAX loop primitive that computes exactly the same values:

- JX301: iterations independent, one array written only at the loop index -> `jax.vmap` over a
  local function, written back with one `.at[indices]` update.
- JX302: a loop over an array's first axis (`for x in xs`, `enumerate`, `zip`), or a loop that
  collects one value per iteration in a list (`ys.append(v)`, stacked after the loop) ->
  `lax.scan` (the list becomes the scan's stacked output).
- JX303: a `range` loop with carried state -> `lax.fori_loop` (reductions and arrays updated with
  `.at[i]` travel in the carry).
- JX304: a `while` loop -> `lax.while_loop` (exit condition and counters in the carry); a range
  loop whose only early exit is `if T: return R`, followed by `return F`, -> a `lax.while_loop`
  that also stops on a `done` flag, then `lax.cond(done, lambda: R, lambda: F)`; a range loop
  that `break`s -> one `lax.while_loop` that counts the index and stops on the `done` flag (the
  index is readable after the loop, as Python's loop variable is); a `while` loop that `break`s
  tests the flag next to its condition.
- In every form, `if`/`elif`/`else` on values the loop computes (its index included, `and`/`or`/
  `not` as `jnp.logical_*`), `continue` and `break` anywhere in the body are lowered with the loop
  (codemods/loop_masks.py): each assignment under a condition becomes
  `x = jnp.where(mask, new, x)`, an item write keeps its one-element form
  (`h = h.at[b].add(jnp.where(mask, 1, 0))`, `set`/`min`/`max` fall back to `x[b]`), and
  statements after a `continue` run under the iteration's `alive` flag. An `if` whose side holds
  a costly call (a matrix product, `jnp.linalg`, an inner JAX loop) becomes one `lax.cond`
  instead, so only the side taken runs (codemods/loop_cond.py says when). Calls to the module's
  pure functions, and to lambdas and JAX-transformed callables (`g = jax.grad(f)`) bound once in
  the function, are allowed (the shared effects table judges them). Python's `min(a, b, ...)` /
  `max(a, b, ...)` of values the loop computes become selects that keep Python's choice, NaN
  included (codemods/loop_choices.py); NumPy calls on values static outside the loop
  (`u_next = np.empty(n)`) stay, as they build a constant when the body is traced. A boolean-mask
  selection used only as `len(s)`, `s.sum(axis=0)` or `s.mean(axis=0)` becomes a count and a
  masked sum of the mask (codemods/loop_mask_reductions.py); any other use of it is refused.
- JX305: every other loop that touches arrays is left alone, with the blocking statement and its
  line, and, in a jitted function, how many iterations jit will unroll.

## Why JAX needs it
Under `jax.jit` a Python loop is unrolled into the traced graph: compile time grows with the trip
count, and a loop over a traced bound cannot be traced at all. Outside jit it runs one small JAX
operation per iteration. The primitives trace the body once.

## Example
Before:

    def euler(x, v, dt, n):
        for i in range(n):
            x = x + dt * v
            v = v - dt * x
        return x, v

After:

    def euler(x, v, dt, n):
        def _body(i, carry):
            x, v = carry
            x = x + dt * v
            v = v - dt * x
            return x, v
        x, v = lax.fori_loop(0, n, _body, (x, v))
        return x, v

## When it refuses
`return` (other than the early-return form above; there `R` must read nothing the rest of the
iteration changes, except through plain copies `a = b`), `break` in a loop over an array or in a
range with a step, a nested loop, `return` or a tuple-unpacking assignment to non-names under a
traced condition, `append` in a loop whose statements run under a traced condition (the list's
length would depend on them), `yield`, `raise`, I/O and `print`, NumPy calls on traced values,
global random state, `min`/`max` with `key=`/`default=` or one iterable argument, calls to
functions not known to be pure, item or attribute assignment (mutation the in-place codemod could
not remove), growing containers, arrays whose shape changes every iteration, a Python
`and`/`or`/`not` or conditional expression on a value the loop computes outside an `if` test,
slices whose bounds move with the loop index, a loop variable read after a loop that does not
`break`, and carried names first assigned inside the loop. Both sides of a lowered `if` are
evaluated every iteration (exact for the side-effect-free bodies allowed here; a NaN or an
out-of-range read on the side not taken is discarded by the select). `lax.while_loop` is not
reverse-differentiable (`jax.grad` raises; `jax.jvp` works): each JX304 finding says so. A list
collected by a loop must be created empty (`ys = []`) and used after the loop only through
`jnp.array` / `jnp.stack` / `jnp.asarray`; with zero iterations the stacked result is `(0, *shape)`
where the list would give `(0,)`. A loop over a value not known to be an array is rewritten only
with `--unsafe` (a list of ragged or non-numeric items cannot be scanned). Carries keep their
initial dtype and shape: an initial value whose dtype or shape differs from what the body produces
(`acc = 0.0` then `acc = acc + row`) fails at trace time ("carry input and carry output must have
equal types"), never silently. `jax.vmap` is used only over ranges that never go negative (a
negative index wraps onto an element another iteration writes, and the order of a scatter to
repeated positions is undefined); other ranges get `lax.fori_loop`. """

from __future__ import annotations

from typing import Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.codemods import loop_builders as build
from jaxify.analysis.effects import ModuleEffects
from jaxify.analysis.expressions import numeric_display
from jaxify.codemods import loop_forms, loop_hoist, loop_notes, loop_stencils
from jaxify.analysis.jax_differences import loop_differences
from jaxify.analysis.loop_blockers import Blocker, side_effects_of
from jaxify.analysis.loop_flow import assigned_names, block_flow, reads_of, target_names
from jaxify.analysis.loops import LoopInfo, analyze_loop
from jaxify.analysis import Kind
from jaxify.analysis.ranks import FunctionRanks
from jaxify.codemod import Codemod, Fix, Refusal, fresh_name
from jaxify.codemods.loop_choices import ChoicesAsSelects
from jaxify.codemods.loop_exits import ExitPlans
from jaxify.codemods.loop_mask_reductions import MaskedReductions
from jaxify.codemods.loop_masks import Blocked, needs_masks
from jaxify.codemods.loop_plan import LoopPlan, VmapRecord
from jaxify.codemods.loop_write_pairs import merge_write_pairs
from jaxify.codemods.loop_syntax import (
    CONTAINER_KINDS, DynamicSlices, HostArrayReads, TailMasks, JaxUse, NestedLoops, bound_before, distinct_indices,
    functions_by_name, identifiers, is_jit, jax_bound_names, loop_summary, moved_value_problem,
    python_container_names, range_args, sequence_leaves, stacking_calls, traced_test, unrolled_note,
    trajectory_problem, xs_text,
)
from jaxify.rules import Rule, Safety

RULES = (
    Rule("JX301", "loop-to-vmap", Safety.SAFE, "Loop with independent iterations rewritten as `jax.vmap`."),
    Rule("JX302", "loop-to-scan", Safety.SAFE, "Loop over an array or collecting per-iteration values rewritten as `lax.scan`."),
    Rule("JX303", "loop-to-fori-loop", Safety.SAFE, "Range loop with carried state (its `if`s and `continue`s as masks) rewritten as `lax.fori_loop`."),
    Rule("JX304", "loop-to-while-loop", Safety.SAFE, "`while` loop, or a range loop that `break`s or returns early, rewritten as `lax.while_loop` (not reverse-differentiable)."),
    Rule("JX305", "loop-left-alone", Safety.REPORT, "Loop left as a Python loop: a statement blocks every JAX loop primitive."),
    *loop_forms.RULES,
)


class LocalEffects(ModuleEffects):
    """The effects table over one function's block, names it does not bind judged by ``outer``."""

    def __init__(self, block: cst.IndentedBlock, resolve, outer):
        super().__init__(block, resolve)
        self.outer = outer

    def is_pure(self, name: str) -> bool:
        return super().is_pure(name) if name in self.definitions else self.outer(name)


class LoopCodemod(ExitPlans, Codemod):
    RULES = RULES
    ACTS_UNDER = (cst.For, cst.While)  # every hook acts on a loop, or on the function around one

    @classmethod
    def applies_to(cls, text: str) -> bool:
        return ("for " in text or "while " in text) and "jax" in text

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        self._path: list[cst.CSTNode] = []
        self._replacement: dict[cst.CSTNode, object] = {}
        self._converted: set[cst.CSTNode] = set()
        self._dropped: set[cst.CSTNode] = set()  # updated statements to remove from their block
        self._hoisted: set[cst.CSTNode] = set()  # the current loop's conversions, moved before it
        self._windows: list[cst.Subscript] = []  # the current loop's `x[i:i + k]` reads
        self._tails: tuple = ([], set())  # and its reductions over `x[i + 1:]`, with bounds that may be negative
        self._hoisted_out: dict[cst.CSTNode, list[cst.BaseStatement]] = {}  # per rewritten loop
        self._vmapped: dict[cst.CSTNode, VmapRecord] = {}  # loops rewritten as vmap, for nests
        self._host_views = loop_hoist.HostViews(self._fresh)  # `x_jax = jnp.asarray(x)`, once per function
        self._used_names = identifiers(wrapper.module, self.analysis.tree)
        self._user_names = frozenset(self._used_names)
        self._functions = functions_by_name(wrapper.module, self.analysis.tree)
        self._purity: dict[str, bool] = {}
        self._jax_helpers: dict[str, bool] = {}
        self._return_replacements: dict[cst.CSTNode, cst.SimpleStatementLine] = {}  # after early-exit loops
        self._stacked: set[cst.Call] = set()
        self._imports: dict[cst.CSTNode, list] = {}  # per converted loop, added once its nest is settled  # `jnp.array(ys)` of a list the scan now stacks

    # -- traversal bookkeeping -------------------------------------------------------------

    def on_visit(self, node: cst.CSTNode) -> bool:
        result = super().on_visit(node)
        self._path.append(node)
        return result

    def on_leave(self, original_node, updated_node):
        self._path.pop()
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.BaseStatement):
            self._replacement[original_node] = result
        return result

    def _resolve(self, node: cst.CSTNode) -> str | None:
        return self.analysis.qualified_name(node)

    def _transformed(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """An expression of the loop as it reads inside the body function (windows made dynamic,
        reductions over tails masked)."""
        if self._windows or self._tails[0]:
            expr = expr.visit(DynamicSlices(self._windows)).visit(TailMasks(*self._tails))
        return expr

    def _carry(self, names) -> build.Carry:
        return build.Carry(tuple(names), self._unused("carry"))

    def _unused(self, base: str) -> str:
        """``base`` for a parameter of a generated function, unless the module uses that name."""
        return fresh_name(base, set(self._user_names))

    def _fresh(self, base: str) -> str:
        return fresh_name(base, self._used_names)

    def _is_pure_function(self, name: str) -> bool:
        """A function of this module, defined once, whose body has no side effects."""
        if name not in self._purity:
            self._purity[name] = False  # assumed impure while its own body is checked (recursion)
            definitions = self._functions.get(name, [])
            self._purity[name] = len(definitions) == 1 and not side_effects_of(
                definitions[0], self._resolve, self._is_pure_function
            )
        return self._purity[name]

    def _local_purity(self, function: cst.FunctionDef):
        """``is_pure`` for the names a loop of ``function`` calls: lambdas and JAX-transformed
        callables bound once in the function's own block (``f = lambda x: ...``,
        ``g = jax.grad(loss)``), else the module's functions."""
        return LocalEffects(function.body, self._resolve, self._is_pure_function).is_pure

    # -- the rewrite -----------------------------------------------------------------------

    def leave_For(self, original_node: cst.For, updated_node: cst.For):
        return self._leave_loop(original_node, updated_node)

    def leave_While(self, original_node: cst.While, updated_node: cst.While):
        return self._leave_loop(original_node, updated_node)

    def _leave_loop(self, original: cst.For | cst.While, updated: cst.For | cst.While):
        result = self._keep_nest_fast(original, updated, self._rewrite(original, updated))
        if not any(isinstance(node, (cst.For, cst.While)) for node in self._path):
            # the outermost loop of a nest: the imports of the conversions that stand
            for loop in [loop for loop in self._imports if loop in self._converted]:
                for module, obj, asname in self._imports.pop(loop):
                    self.add_import(module, obj, asname)
            self._imports.clear()
        return result

    def _keep_nest_fast(self, original: cst.For | cst.While, updated: cst.For | cst.While, result):
        """A loop that stays Python keeps the loops inside it Python too (unless its function is
        jitted): called eagerly, a JAX loop there would trace and compile its body, a new closure
        each time, on every outer iteration, 100x slower than the loop it replaced."""
        under = {id(node) for node in self.analysis.tree.walk(original)} if self._converted else set()  # one walk
        inner = [loop for loop in self._converted if loop is not original and id(loop) in under]
        scope = self._scope_path()
        jitted = isinstance(scope[0], cst.FunctionDef) and any(is_jit(d.decorator, self._resolve) for d in scope[0].decorators)
        if result is not updated or not inner or jitted:
            return result
        outer_line = self.position(original)[0]
        for loop in inner:
            self._converted.discard(loop)
            line = self.position(loop)[0]
            self.context.findings[:] = [f for f in self.context.findings
                                        if not (f.line == line and f.code in ("JX301", "JX302", "JX303", "JX304", "JX306"))]
            reason = (f"the loop around it (line {outer_line}) stays a Python loop, and a JAX loop inside a Python loop "
                      "traces and compiles its body again on every outer iteration (far slower than the NumPy loop)")
            self.report([Refusal(loop, "JX305", f"loop left alone: {reason}", reason,
                                 "make the outer loop convertible, or jit the function so the body is compiled once")])
        return original

    def _rewrite(self, original: cst.For | cst.While, updated: cst.For | cst.While):
        if not self._touches_arrays(original):
            return updated
        scope = self._scope_path()
        if not isinstance(scope[0], cst.FunctionDef):
            self._refuse(original, None, Blocker(original, "a module-level loop (its names are globals other code may read)"),
                         hint="move the loop into a function")
            return updated
        info = analyze_loop(original, scope, self._resolve, self._local_purity(scope[0]),
                             lambda expr: self.analysis.kind_of(expr) is Kind.STATIC)
        self._hoisted = set(info.conversions)
        self._windows, self._tails = info.windows, (info.tails, info.wrapping_bounds)
        blockers = info.blockers + self._structural_blockers(info, scope) + loop_differences(self.analysis, original)
        if info.tails and self.options.exact_order:
            blockers.append(Blocker(info.tails[0], "a reduction over a slice that shrinks every iteration, whose "
                                                   "masked form adds in another order (`--exact-order`)"))
        if blockers:
            self._refuse(original, info, blockers[0])
            return updated
        plan = self._plan(info)
        if isinstance(plan, Blocker):
            self._refuse(original, info, plan)
            return updated
        code, message, unsafe_because = plan.code, plan.message, plan.unsafe_because
        statements, imports = plan.statements, plan.imports
        if any("jnp." in build.code(statement) for statement in statements):  # masks and flags are jnp calls
            imports = [*imports, ("jax.numpy", None, "jnp")]
        if info.selections:
            reductions = MaskedReductions({selection.name for selection in info.selections}, self._fresh)
            statements = [statement.visit(reductions) for statement in statements]
            imports = [*imports, ("jax.numpy", None, "jnp")]
        statements, views = self._index_host_arrays_as_jax(original, statements)
        statements = [statement.visit(loop_hoist.CarriedConversions(set(info.carried))) for statement in statements]
        if info.choices:
            traced = info.written | (set(target_names(original.target)) if isinstance(original, cst.For) else set())
            selects = ChoicesAsSelects(traced)
            statements = [statement.visit(selects) for statement in statements]
            imports = [*imports, ("jax.numpy", None, "jnp")]
        if info.windows:
            window = build.code(info.windows[0])
            unsafe_because = (f"assumes every window `{window}` lies inside `{build.code(info.windows[0].value)}`: "
                              "`lax.dynamic_slice` shifts a window that would run past an end, where slicing shortens it")
            imports = [*imports, ("jax", "lax", None)]
        if info.tails:
            message += (f"; `{build.code(info.tails[0])}` reduces the whole axis with zeros outside the slice "
                        f"({loop_forms.REORDERED})")
            ranks = FunctionRanks(scope[0], self._resolve)  # a rank the text proves needs no assumption
            unproven = [arg.value for tail in info.tails for arg in tail.args if not isinstance(arg.value.value, cst.Name)
                        or ranks.rank(arg.value.value.value) != len(arg.value.slice)]
            unsafe_because = unsafe_because or (
                f"assumes `{build.code(unproven[0].value)}` has {len(unproven[0].slice)} dimension(s), one per index "
                f"of `{build.code(unproven[0])}`: the mask runs along its last axis" if unproven else "")
        hint = ("check the loop's bounds keep every window inside the array" if info.windows
                else "make sure the iterated value is a jax array" if unsafe_because else "")
        if not self.report([Fix(original, code, message, unsafe_because, hint)])[0]:
            return updated
        self._imports[original] = [*self._imports.get(original, []), *imports]
        hoisted = [build.without_blank_lines(self._replacement.get(s, s)) for s in info.conversions]
        hoisted += self._inherited_conversions(original) + views
        statements = build.place(original, [*hoisted, *statements])
        self._hoisted_out[original] = statements[:len(hoisted)]  # as placed: an outer loop finds them by identity
        self._converted.add(original)
        for trajectory in info.trajectories:
            self._drop_list_creation(original, trajectory.name)
            # the scan already stacked it; NumPy's np.array(...) of it would fail under jit
            self._stacked.update(stacking_calls(trajectory.name, scope[0], self._resolve))
        return cst.FlattenSentinel(statements)

    def _drop_list_creation(self, loop: cst.CSTNode, name: str) -> None:
        """``ys = []`` before the loop is dead once the scan produces ``ys``: remove it when it is a
        plain statement in the loop's own block (a comment on it keeps it)."""
        block = self._path[-1] if self._path else None
        statements = list(getattr(block, "body", ()))
        if loop not in statements:
            return
        for statement in statements[: statements.index(loop)]:
            if (
                m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name(name))], value=m.List([]))]))
                and not any(line.comment for line in statement.leading_lines)
                and statement.trailing_whitespace.comment is None
            ):
                self._dropped.add(self._replacement.get(statement, statement))

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine):
        return self._return_replacements.get(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._stacked:
            return original_node.args[0].value
        return updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        kept = loop_hoist.tidy_block(updated_node.body, self._dropped, self._hoisted_out)
        return updated_node if kept is None else updated_node.with_changes(body=kept)

    def _scope_path(self) -> list[cst.CSTNode]:
        """Ancestors of the current loop from its enclosing function (or the module) down."""
        for index in range(len(self._path) - 1, -1, -1):
            if isinstance(self._path[index], cst.FunctionDef):
                return self._path[index:]
        return list(self._path)

    def _touches_arrays(self, loop: cst.For | cst.While) -> bool:
        """Loops over plain Python data (file names, config dicts) are not ours to report."""
        finder = JaxUse(self._resolve, self.analysis, self._function_uses_jax)
        self.analysis.tree.visit(loop, finder)
        return finder.found

    def _function_uses_jax(self, name: str) -> bool:
        """A helper of this module (defined once) that calls into jax, directly or through helpers."""
        if name not in self._jax_helpers:
            self._jax_helpers[name] = False  # while its own body is looked at (recursion)
            definitions = self._functions.get(name, [])
            if len(definitions) == 1:
                finder = JaxUse(self._resolve, self.analysis, self._function_uses_jax)
                self.analysis.tree.visit(definitions[0].body, finder)
                self._jax_helpers[name] = finder.found
        return self._jax_helpers[name]

    def _updated_body(self, original: cst.For | cst.While, drop: cst.CSTNode | None = None) -> list[cst.BaseStatement]:
        """The loop's body after the rewrites inside it, without the statement ``drop`` and without
        the conversions that move before the loop."""
        body: list[cst.BaseStatement] = []
        moving = loop_hoist.moving_out(original.body.body, self._hoisted_out)
        for statement in original.body.body:
            if statement is drop or statement in self._hoisted:
                continue
            replacement = self._replacement.get(statement, statement)
            if isinstance(replacement, cst.FlattenSentinel):
                moved = moving[statement]
                kept = [node for node in replacement.nodes if not any(node is h for h in moved)]
                if moved and kept:  # the inner loop's leading comments stay with what replaced it
                    kept[0] = kept[0].with_changes(leading_lines=replacement.nodes[0].leading_lines)
                body.extend(kept)
            elif isinstance(replacement, cst.BaseStatement):
                body.append(replacement)
        if self._windows or self._tails[0]:  # (a visit makes new nodes: statements are matched by identity later)
            body = [statement.visit(DynamicSlices(self._windows)).visit(TailMasks(*self._tails)) for statement in body]
        return body

    def _index_host_arrays_as_jax(self, original: cst.For | cst.While, statements: list) -> tuple[list, list]:
        """Arrays from outside the loop indexed by what the loop varies are read through
        ``jnp.asarray``, converted once before the loop where they can be (``loop_hoist.py``):
        callers of legacy code pass NumPy arrays (``HostArrayReads``); names the rewrite binds are
        jax values. Returns the statements and the conversions before the loop."""
        varying = block_flow(list(original.body.body)).written
        if isinstance(original, cst.For):
            varying |= set(reads_of(original.target))
        function, generated = self._scope_path()[0], set(assigned_names(statements, True)) - set(assigned_names([original], True))
        jax_bound = jax_bound_names(function, self._resolve) | self._host_views.names() | generated
        reads = HostArrayReads(varying, jax_bound, self._host_views.view_of(function, original))
        statements = [statement.visit(reads) for statement in statements]
        if reads.wrapped:
            self._imports.setdefault(original, []).append(("jax.numpy", None, "jnp"))
        return statements, loop_hoist.conversions(reads.views, self._inherited_conversions(original))

    def _inherited_conversions(self, original: cst.For | cst.While) -> list[cst.BaseStatement]:
        """Conversions the loops directly inside this one hoisted, moving on out (leading lines stay)."""
        return [node.with_changes(leading_lines=())
                for moved in loop_hoist.moving_out(original.body.body, self._hoisted_out).values() for node in moved]

    def _structural_blockers(self, info: LoopInfo, scope: Sequence[cst.CSTNode]) -> list[Blocker]:
        blockers = []
        nested = NestedLoops()
        for statement in info.node.body.body:
            self.analysis.tree.visit(statement, nested)
        for loop in nested.loops:
            if loop not in self._converted:
                line = self.position(loop)[0]
                blockers.append(Blocker(loop, f"the nested loop at line {line} stays a Python loop"))
        defined = bound_before(scope, info.node)
        containers = python_container_names(scope[0])
        for name in info.carried:
            if name not in defined:
                blockers.append(Blocker(info.node, f"`{name}` is first assigned inside the loop and read after it or in the next iteration"))
            elif name in containers:
                blockers.append(Blocker(containers[name], (
                    f"`{name}` holds a Python {CONTAINER_KINDS[type(containers[name])]}: a JAX loop carry must "
                    "keep one array shape, and a value built on the host must stay static"
                )))
        trajectory_names = {t.name for t in info.trajectories}
        if len(info.trajectories) > 1 or len(trajectory_names) != len(info.trajectories):
            blockers.append(Blocker(info.trajectories[-1].statement, "more than one `append` per iteration"))
        for trajectory in info.trajectories:
            problem = trajectory_problem(trajectory.name, scope, info, self._resolve)
            if problem:
                blockers.append(Blocker(trajectory.statement, problem))
        return blockers

    def _plan(self, info: LoopInfo) -> LoopPlan | Blocker:
        """The rewrite of the loop, or the Blocker that prevents it."""
        space = info.space
        carried = [name for name in info.carried]
        lax_import, jnp_import = ("jax", "lax", None), ("jax.numpy", None, "jnp")
        summary = loop_summary(info)
        body = self._updated_body(info.node)
        if info.early_return is not None:
            return self._plan_early_return(info, body)
        lowering = self._masked_body(info)
        masked = needs_masks(body, lowering.traced)
        if masked:
            if info.trajectories:
                return Blocker(info.trajectories[0].statement, "`append` in a loop with a `continue`, `break` or traced `if` "
                               "(how many items it collects would depend on traced values)")
            try:
                body = lowering.lower(body)
            except Blocked as blocked:
                return blocked.blocker
            if lowering.done is not None:
                return self._plan_break(info, body, lowering.done)
            summary += "; its `if`/`continue` statements select with `jnp.where`, skipped iterations keep the carry"
            if lowering.conds:
                summary += "; an `if` with a costly side runs only that side, under `lax.cond`"
        if copying := loop_notes.quadratic_copy(info, body := merge_write_pairs(body)):
            return Blocker(info.node, copying)
        if space.kind == "while":
            if not carried:
                return Blocker(info.node, "the loop changes nothing its condition reads")
            test = traced_test(self._transformed(space.test), self._resolve)
            if test is None:
                return Blocker(space.test, "a chained comparison in the loop condition")
            statements = build.while_loop(
                info.node, self._fresh("_cond"), self._fresh("_body"), test, self._carry(carried), body
            )
            message = (f"`while` loop rewritten as `lax.while_loop` ({summary}{loop_notes.cost_note(info, body)}); "
                       "`lax.while_loop` is not reverse-differentiable: `jax.grad` through it raises, `jax.jvp` works")
            return LoopPlan("JX304", message, "", statements, [lax_import])

        faster = loop_forms.plan(info, loop_forms.FormContext(  # its forms take only the `if`s they can vectorise
            self._fresh, self.options.exact_order, lambda code: self.enabled(code, info.node), self._scope_path(),
            self._resolve, self._unused, self.options.unsafe, self.analysis.dtype_of))
        if faster is not None:
            return faster
        nest = None if masked else self._nested_vmap(info)
        if nest is not None:
            return nest
        output_names = {o.name for o in info.outputs}
        if (not masked and space.kind == "range" and distinct_indices(space) and not info.trajectories and len(info.outputs) == 1
                and set(carried) == output_names):
            output = info.outputs[0]
            moved = moved_value_problem(output.statement, output.value, info.node.body.body)
            if moved:
                return Blocker(output.statement, moved)
            body = self._updated_body(info.node, drop=output.statement)
            indices = f"jnp.arange({range_args(space)})"
            where = ", ".join(
                indices if m.matches(element.slice, m.Index(m.Name(space.index_name))) else build.code(element.slice)
                for element in output.index
            )
            value = loop_stencils.element_value(output, build.code(self._transformed(output.value)),
                                                FunctionRanks(self._scope_path()[0], self._resolve))
            statements = build.vmap(info.node, self._fresh("_element"), space.index_name, indices, where, output.name,
                                    output.method, value, body, output.statement.leading_lines)
            self._vmapped[info.node] = VmapRecord(output, space.index_name, indices, statements[0])
            message = f"loop rewritten as `jax.vmap`: iterations are independent and write `{output.name}` only at `{space.index_name}`"
            return LoopPlan("JX301", message, "", statements, [("jax", None, None), jnp_import])

        ys, comments = None, ()
        if info.trajectories:
            trajectory = info.trajectories[0]
            moved = moved_value_problem(trajectory.statement, trajectory.value, info.node.body.body)
            if moved:
                return Blocker(trajectory.statement, moved)
            body = self._updated_body(info.node, drop=trajectory.statement)
            ys = (trajectory.name, build.code(self._transformed(trajectory.value)))
            comments = trajectory.statement.leading_lines
        carry = self._carry(carried)
        if not carried and ys is None:
            return Blocker(info.node, "the loop computes nothing that is used after it")
        if space.kind == "range":
            index = space.index_name
            if ys is None and (space.step is None or m.matches(space.step, m.Integer("1"))):
                start = build.code(space.start) if space.start is not None else "0"
                statements = build.fori_loop(info.node, self._fresh("_body"), index, start, build.code(space.stop), carry, body)
                return LoopPlan("JX303", f"loop rewritten as `lax.fori_loop` ({summary}){loop_notes.cost_note(info, body)}", "",
                                statements, [lax_import])
            uses_index = index in set().union(*(set(reads_of(s)) for s in body)) if body else False
            if uses_index or space.start is not None:
                xs, param, imports = f"jnp.arange({range_args(space)})", index if uses_index else "_", [lax_import, jnp_import]
            else:
                xs, param, imports = f"length={build.code(space.stop)}", "_", [lax_import]
            statements = build.scan(info.node, self._fresh("_step"), param, None, xs, carry, body, ys, comments)
            return LoopPlan("JX302", f"loop rewritten as `lax.scan` ({summary}{loop_notes.cost_note(info)})", "", statements, imports)

        # for x in xs / enumerate(xs) / zip(xs, ys): scan over the leading axis
        leaves = list(space.sequences)
        unknown = [leaf for leaf in sequence_leaves(leaves, self._resolve) if not (self._is_array(leaf) or numeric_display(leaf))]
        xs = xs_text(space, self._resolve, self._is_array)
        target = info.node.target
        if isinstance(target, cst.Name):
            param, unpack = target.value, None
        else:
            param, unpack = self._unused("item"), build.code(target)
        statements = build.scan(info.node, self._fresh("_step"), param, unpack, xs, carry, body, ys, comments)
        unsafe = ""
        if unknown:
            unsafe = (f"`{build.code(unknown[0])}` is scanned along its first axis, which assumes it is an array "
                      "(a list of equal-shape numbers works; a list of ragged or non-numeric items does not)")
        message = f"loop rewritten as `lax.scan` ({summary}{loop_notes.cost_note(info)})"
        return LoopPlan("JX302", message, unsafe, statements, [lax_import, ("jax.numpy", None, "jnp")])

    def _nested_vmap(self, info: LoopInfo):
        """A range loop whose whole body is one inner loop already rewritten as vmap, over a
        range that does not depend on the outer loop: one vmap over the product space."""
        space = info.space
        inner_loops = [s for s in info.node.body.body if s not in info.conversions]
        if space.kind != "range" or not distinct_indices(space) or len(inner_loops) != 1 or inner_loops[0] not in self._vmapped:
            return None
        inner = self._vmapped[inner_loops[0]]
        rectangular = not set(reads_of(inner_loops[0].iter)) & (info.written | {space.index_name})
        outer_positions = [
            k for k, element in enumerate(inner.output.index)
            if m.matches(element.slice, m.Index(m.Name(space.index_name)))
        ]
        if not rectangular or len(outer_positions) != 1 or set(info.carried) != {inner.output.name}:
            return None
        indices = f"jnp.arange({range_args(space)})"
        where = ", ".join(
            f"{indices}[:, None]" if k == outer_positions[0]
            else inner.indices if m.matches(element.slice, m.Index(m.Name(inner.index))) else build.code(element.slice)
            for k, element in enumerate(inner.output.index)
        )
        statements = build.vmap(info.node, self._fresh("_row"), space.index_name, indices, where, inner.output.name,
                                inner.output.method, f"jax.vmap({inner.function.name.value})({inner.indices})", [inner.function])
        message = (f"nested loops rewritten as nested `jax.vmap`: every (`{space.index_name}`, `{inner.index}`) pair is "
                   f"independent and writes `{inner.output.name}` only there")
        return LoopPlan("JX301", message, "", statements, [("jax", None, None), ("jax.numpy", None, "jnp")])

    def _is_array(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            qualified = self._resolve(expr.func)
            return qualified is not None and qualified.startswith("jax.numpy.")
        return self.analysis.kind_of(expr) == Kind.ARRAY

    def _refuse(self, loop: cst.CSTNode, info: LoopInfo | None, blocker: Blocker, hint: str = "") -> None:
        line = self.position(blocker.node)[0]
        message = f"loop left alone: {blocker.reason} (line {line})"
        unrolled = unrolled_note(self._path, info, self._resolve)
        self.report([Refusal(loop, "JX305", message + unrolled, blocker.reason,
                             hint or "restructure the loop body without this statement, or keep the loop outside jit")])

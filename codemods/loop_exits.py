"""The loop plans with an early exit (JX304): a range loop whose body `break`s (anywhere, under
traced conditions) or returns early becomes one `lax.while_loop` that counts its index and stops on
a `done` flag (built by :func:`jaxify.codemods.loop_builders.counted_while_with_flag`); a `while`
loop that `break`s tests the flag next to its own condition. A mixin of the loop codemod, whose
state (``_fresh``, ``_carry``, ``_path``, ``_replacement``, ...) it reads.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.loop_blockers import Blocker
from jaxify.analysis.loop_flow import assigned_names, reads_of, target_names
from jaxify.analysis.loops import LoopInfo
from jaxify.codemods import loop_builders as build
from jaxify.codemods.loop_notes import cost_note
from jaxify.codemods.loop_masks import Blocked, MaskedBody, needs_masks
from jaxify.codemods.loop_plan import LoopPlan
from jaxify.codemods.loop_syntax import (
    assigns_index,
    bound_before,
    lambda_body,
    loop_summary,
    substitute_copies,
    summary_of_carry,
    traced_test,
)

NOT_DIFFERENTIABLE = "`lax.while_loop` is not reverse-differentiable: `jax.grad` through it raises, `jax.jvp` works"
IMPORTS = [("jax", "lax", None), ("jax.numpy", None, "jnp")]


class ExitPlans:
    def _masked_body(self, info: LoopInfo) -> MaskedBody:
        targets = set(target_names(info.space.target)) if info.space.target is not None else set()
        return MaskedBody(info.written | targets, set(info.carried) | targets, self._fresh, self._resolve)

    def _lowered(self, info: LoopInfo, body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | Blocker:
        """``body`` without an early exit of its own, its traced `if`s lowered to masks."""
        lowering = self._masked_body(info)
        if not needs_masks(body, lowering.traced):
            return body
        try:
            lowered = lowering.lower(body)
        except Blocked as blocked:
            return blocked.blocker
        if lowering.alive is not None:
            return Blocker(info.node, "`break` or `continue` next to an early `return`")
        return lowered

    def _plan_break(self, info: LoopInfo, body: list[cst.BaseStatement], done: str) -> LoopPlan | Blocker:
        """A loop whose lowered ``body`` sets ``done`` where Python would `break`."""
        space = info.space
        summary = loop_summary(info)
        if space.kind == "while":
            test = traced_test(self._transformed(space.test), self._resolve)
            if test is None:
                return Blocker(space.test, "a chained comparison in the loop condition")
            carry = self._carry([*info.carried, done])
            init = ", ".join([*info.carried, "False"])
            statements = build.while_loop(info.node, self._fresh("_cond"), self._fresh("_body"),
                                          f"jnp.logical_and(jnp.logical_not({done}), {test})", carry, body, init=f"({init})")
            message = f"`while` loop with `break` rewritten as `lax.while_loop` that also stops on a flag ({summary}{cost_note(info, body)}); {NOT_DIFFERENTIABLE}"
            return LoopPlan("JX304", message, "", statements, IMPORTS)
        if space.kind != "range":
            return Blocker(info.node, "`break` in a loop over an array (only range and `while` loops stop on a flag)")
        index = space.index_name
        if assigns_index(info):
            return Blocker(info.node, f"the body assigns the loop variable `{index}`, which counts the iterations here")
        if space.step is not None and not m.matches(space.step, m.Integer("1")):
            return Blocker(info.node, "`break` inside a loop whose range has a step")
        bounds = set(reads_of(space.stop)) | (set(reads_of(space.start)) if space.start is not None else set())
        if bounds & info.written:
            return Blocker(info.node, "the range's bounds read names the loop changes")
        carried = [n for n in info.carried if n != index]
        start, stop = build.code(space.start) if space.start is not None else "0", build.code(space.stop)
        statements = build.counted_while_with_flag(info.node, self._fresh("_cond"), self._fresh("_body"), self._carry,
                                                   index, start, stop, carried, done, body)
        if info.index_live_out and index in bound_before(self._scope_path(), info.node):
            # with no iteration at all Python leaves the loop variable as it was
            saved = self._fresh(f"{index}_before")
            statements = [build.statement(f"{saved} = {index}"), *statements,
                          build.statement(f"{index} = jnp.where({start} < {stop}, {index}, {saved})")]
        message = (f"loop with `break` rewritten as `lax.while_loop` that stops on a flag "
                   f"({summary_of_carry([index, *carried, done])}{cost_note(info, body)}); {NOT_DIFFERENTIABLE}")
        return LoopPlan("JX304", message, "", statements, IMPORTS)

    def _plan_early_return(self, info: LoopInfo, body: list[cst.BaseStatement]):
        """``for k in range(..): S1; if T: return R; S2`` followed by ``return F`` -> a while_loop
        that runs until ``T`` (carried as a flag) or the range is exhausted, then one
        ``lax.cond`` between ``R`` and ``F``. ``S2`` also runs in the stopping iteration, so ``R``
        is evaluated after it: allowed when ``S2`` changes nothing ``R`` reads, except plain copies
        ``a = b`` (then ``R`` reads ``a`` instead of ``b``)."""
        space, early = info.space, info.early_return
        if assigns_index(info):
            return Blocker(info.node, f"the body assigns the loop variable `{space.index_name}`, which counts the iterations here")
        if space.step is not None and not m.matches(space.step, m.Integer("1")):
            return Blocker(early.statement, "`return` inside a loop whose range has a step")
        block = list(getattr(self._path[-1], "body", ()))
        after = block[block.index(info.node) + 1] if info.node in block and block[-1] is not info.node else None
        if not m.matches(after, m.SimpleStatementLine(body=[m.Return()])):
            return Blocker(early.statement, "`return` inside the loop, and no `return` right after the loop")
        final = after.body[0].value
        original_body = [s for s in info.node.body.body if s not in info.conversions]
        position = original_body.index(early.statement)
        later = original_body[position + 1:]
        if not all(isinstance(s, cst.SimpleStatementLine) for s in later):
            return Blocker(early.statement, "`return` inside the loop before a compound statement")
        value = substitute_copies(early.value, later)
        value = self._transformed(value) if value is not None else None
        if value is None or (final is None) != (early.value is None):
            return Blocker(early.statement, "the value returned inside the loop changes later in the iteration")
        stop_reads = set(reads_of(space.stop)) | (set(reads_of(space.start)) if space.start is not None else set())
        if stop_reads & info.written:
            return Blocker(info.node, "the range's bounds read names the loop changes")
        test = traced_test(self._transformed(early.test), self._resolve)
        if test is None:
            return Blocker(early.test, "a chained comparison in the exit test")
        index = space.index_name
        done = self._fresh("done")
        needed = set(reads_of(value)) if value is not None else set()
        fresh = sorted((needed & info.written) - bound_before(self._scope_path(), info.node))
        if fresh:
            return Blocker(early.statement, f"the returned `{fresh[0]}` is first assigned inside the loop (a loop carry needs a value before it)")
        others = [*[n for n in info.carried if n != index],
                  *[n for n in assigned_names(original_body) if n in needed & info.written and n not in info.carried]]
        carried = [index, *others, done]
        start = build.code(space.start) if space.start is not None else "0"
        updated_early = self._replacement.get(early.statement, early.statement)
        split = next(k for k, s in enumerate(body) if s is updated_early)
        before, rest = self._lowered(info, body[:split]), self._lowered(info, body[split + 1:])
        if isinstance(before, Blocker) or isinstance(rest, Blocker):
            return before if isinstance(before, Blocker) else rest
        stop_here = build.statement(f"{done} = {test}").with_changes(leading_lines=updated_early.leading_lines)
        statements = build.counted_while_with_flag(
            info.node, self._fresh("_cond"), self._fresh("_body"), self._carry, index, start, build.code(space.stop),
            others, done, [*before, stop_here, *rest],
        )
        returned, otherwise = lambda_body(value), lambda_body(final)
        if returned != otherwise:
            self._return_replacements[after] = after.with_changes(body=[cst.Return(
                value=cst.parse_expression(f"lax.cond({done}, lambda: {returned}, lambda: {otherwise})"))])
        message = (f"loop with an early `return` rewritten as `lax.while_loop` that stops on a flag "
                   f"({summary_of_carry(carried)}{cost_note(info, body)}); {NOT_DIFFERENTIABLE}")
        return LoopPlan("JX304", message, "", statements, IMPORTS)

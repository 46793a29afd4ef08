"""In-place array writes -> functional updates (`.at[]`, `jnp.where`, rebinding).

## What it does
Rewrites every statement that writes a NumPy array in place into one that rebinds the name to a
new array: `x[idx] = v` -> `x = x.at[idx].set(v)`, including `x[...] = v` and `x[:] = v` (JX101); `x[idx] += v` and the other augmented
operators, and the `np.minimum`/`np.maximum` idiom -> the matching `.at[]` method or a
read-compute-write `.at[idx].set(...)` (JX102); writes through a boolean mask -> `jnp.where`
(JX103); whole-array writes `x += y`, `x.fill(v)`, `x.sort()`, `np.copyto`, `np.put`,
`np.fill_diagonal` (JX104); `out=` arguments (JX105); `np.add.at` and the other
`ufunc.at` calls -> the accumulating `.at[]` methods (JX106); functions that write their
parameters (JX107, below).

## Why JAX needs it
JAX arrays are immutable: `x[i] = v`, `x.fill()` and `out=` raise on them and under `jax.jit`,
and `x.sort()` silently returns a new array. The functional forms compute the same values.

## Example
Before:

    def smooth(signal, idx):
        out = np.zeros(signal.shape)
        out[1:-1] = (signal[:-2] + signal[2:]) / 2
        out[idx] += 1.0
        return out

After:

    def smooth(signal, idx):
        out = jnp.zeros(signal.shape)
        out = out.at[1:-1].set((signal[:-2] + signal[2:]) / 2)
        out = out.at[idx].set(out[idx] + 1.0)
        return out

`out[idx] += 1.0` with an integer-array index keeps NumPy's buffered meaning (each place bumped
once, even when `idx` repeats); only `np.add.at` becomes the accumulating `.at[].add`. Where the
value's dtype could change the target's, the result is cast back with `.astype(x.dtype)`, as
NumPy's in-place casting does (`int_array[i] += 0.5` truncates).

## Functions that write their parameters (JX107): the contract
When a function writes an array parameter in place (directly, or by passing it to a function of
the module that does), NumPy callers see the change. After the rewrite:

- the function returns the new value of every such parameter, in parameter order, after what it
  returned before: a function that returned nothing (or only `None`) now returns the parameter
  (`return a`; with several, the tuple `return a, b`); a function that returned `r` now returns
  the tuple `(r, a)` (or `(r, a, b)`), `r` staying one element even when it is itself a tuple;
  falling off the end counts as returning `None`;
- every call site in the module rebinds: `f(a)` -> `a = f(a)`; `r = f(a)` -> `r, a = f(a)`.

One exception keeps results as they were: a function whose only written parameter is already
its whole result on every way out (`a[i] = v; return a`) returns just that, and the call sites
rebind the argument to the result too: `f(a)` -> `a = f(a)`; `r = f(a)` -> `r = a = f(a)`.

It is applied only when every call site is visible: the function is defined at the top of the
module, is not a generator, async or decorated, is only ever called as a statement or as
`name = f(...)`, and every argument in those positions is a plain name that can be rebound. A
public function (no leading underscore) may have callers elsewhere, who would lose the write:
that fix is unsafe (applied with `--unsafe`) and its finding says which parameters are affected.

## When it refuses
- The target is not known to be an array (JX111): lists, dicts, bytearrays and objects with
  `__setitem__` keep their own meaning; only what the analysis shows is an array is rewritten.
- Another name or holder sees the array (JX110): an alias (`y = x`), a view (`v = x[1:]`,
  `x.T`, `x.reshape(...)`, `np.asarray(x)`), a container or attribute holding it, a global, an
  array reached through an attribute or an item (`self.a[i] = v`), a view of a parameter. A name
  holding an element `tmp = x[i]` (integer indices only) is no sharer where `x` has one dimension
  per index, so that the element is a copy of one number (the swap idiom): where the function's
  text proves that rank, or, as an unsafe fix, where a truth test such as `if x[i] > x[i + 1]:`
  shows the element is one number (a trailing axis of length 1 would show the same, and there
  `tmp` is a view); a `tmp` that is itself written in place stays a sharer.
- The write sits in a `try` that catches IndexError (JX112): JAX drops out-of-bounds writes
  instead of raising, so the handler would never run.
- A masked write of an array of values (JX103), whose shape jaxify cannot prove.
- Another write to the same name in the same scope cannot be rewritten: all or none are (for a
  module-level array, its writes inside functions count too).
- A function that writes its parameter cannot hand it back (JX107): it is a method or nested,
  generator, async or decorated; it is used other than by a plain call; a call passes the
  parameter by `*args` or not at all; the parameter has a default value (NumPy's write would
  change the default for later calls); a call passes the same array for two parameters; a
  module-level call passes an array the functions also read as a global.
- An index that calls a function of the program in a read-compute-write form (JX102): the call
  would run twice.

Unsafe fixes (applied with `--unsafe`): a write of an array of values at an integer-array index
that may repeat (NumPy keeps the last write; JAX's order is unspecified), a masked write whose
mask is not computed from the target itself, a write that an element `tmp = x[i]` survives only
if `x` has the rank a truth test suggests (above), and the public-function contract above.

Assumptions: a call to a function that is neither a NumPy view function nor a function of this
module returns a new array and keeps no reference to its arguments; `.set(v)` casts `v` to the
target's dtype as NumPy does, and `.astype(x.dtype)` is added when the dtypes are known to differ.
A target that may still be a NumPy array is converted first (`x = jnp.asarray(x)`, once per
path), because `.at` exists only on jax arrays.

## Precision (JX113)
jax.numpy keeps NumPy's float64 only when x64 is on. When a rewrite turns what may be a NumPy
float64 array into a jax array (the `jnp.asarray` conversion, `jnp.where`, `jnp.sort`, ...) and
the module does not switch x64 on yet (the NumPy-namespace codemod's JX607 does so when it moves
NumPy calls), `jax.config.update("jax_enable_x64", True)` is added after the imports, with the
same process-wide effect JX607 describes. With `--ignore JX113` those rewrites become unsafe
instead; with `--precision float32` no switch is added.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import PositionProvider

from jaxify.codemods.inplace_forms import Builder, Facts
from jaxify.codemods.inplace_plan import ModulePlan, Planner, returns_a_value
from jaxify.codemods.precision import insert_x64_switch
from jaxify.analysis.mutation import Write
from jaxify.codemod import Codemod, Decision, Fix, Refusal
from jaxify.rules import Rule, Safety

_IN_PLACE_TEXT = re.compile(
    r"\]\s*(?:[-+*/%@&|^]|//|\*\*|<<|>>)?=(?!=)|(?:[-+*/%@&|^]|//|\*\*|<<|>>)=|\.fill\(|\.sort\(|copyto|put\(|"
    r"fill_diagonal|\.at\(|out\s*="
)


class InplaceUpdates(Codemod):
    RULES = (
        Rule("JX101", "indexed-assignment", Safety.SAFE, "`x[idx] = v` on an array -> `x = x.at[idx].set(v)`."),
        Rule(
            "JX102", "augmented-indexed-assignment", Safety.SAFE,
            "`x[idx] += v` (and every augmented operator, and the np.minimum/np.maximum idiom) -> "
            "the matching `.at[]` update, keeping NumPy's buffered semantics and in-place dtype.",
        ),
        Rule("JX103", "masked-assignment", Safety.SAFE, "`x[mask] = c` / `x[mask] += c` -> `jnp.where`."),
        Rule(
            "JX104", "whole-array-in-place", Safety.SAFE,
            "`x += y`, `x.fill`, `x.sort()`, `np.copyto`, `np.put`, `np.fill_diagonal` -> a rebinding.",
        ),
        Rule("JX105", "out-argument", Safety.SAFE, "`np.f(..., out=c)` -> `c = jnp.f(...).astype(c.dtype)`."),
        Rule("JX106", "ufunc-at", Safety.SAFE, "`np.add.at(x, idx, v)` -> `x = x.at[idx].add(v)` (accumulating)."),
        Rule(
            "JX107", "mutated-parameter", Safety.UNSAFE,
            "A function that writes its array parameter returns the new value and every call site rebinds it "
            "(unsafe for public functions, whose callers may not all be visible).",
        ),
        Rule("JX110", "aliased-write", Safety.REPORT,
             "An in-place write other names, views, containers or callers would see: not rewritten."),
        Rule("JX111", "unknown-target", Safety.REPORT, "A subscript write to something not known to be an array."),
        Rule("JX112", "index-error-relied-on", Safety.REPORT,
             "A write inside `try ... except IndexError`: JAX would drop it silently instead of raising."),
        Rule("JX113", "enable-x64", Safety.SAFE,
             "x64 is switched on after the imports when rewritten writes turn NumPy float64 arrays into jax "
             "arrays, so they stay float64 (the same switch as JX607)."),
        Rule("JX114", "non-numeric-write", Safety.REPORT,
             "A write to or of strings, objects, dates, records, masked values or lists: jax arrays hold numbers only."),
        Rule("JX115", "numpy-checked-write", Safety.REPORT,
             "A write whose NumPy error a handler relies on (try/errstate), or a float-to-int cast NumPy checks."),
        Rule("JX116", "chained-write", Safety.REPORT,
             "`a[i] = b[j] = v` writes several arrays in one statement: split it, one assignment per target."),
    )
    METADATA_DEPENDENCIES = (PositionProvider,)

    @classmethod
    def applies_to(cls, text: str) -> bool:
        return bool(_IN_PLACE_TEXT.search(text))

    # -- planning (before anything changes) ------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        facts = Facts(self.analysis, self.options.precision)
        mutation = self.analysis.mutation
        builder = Builder(facts, self._needs_wrap)
        planner = Planner(node, mutation, builder, facts, self.enabled, self._line)
        self.plan: ModulePlan = planner.run()
        self.replacements: dict[int, cst.BaseSmallStatement] = {}
        self.rebinds: dict[int, list[str]] = {}
        self.conversions: dict[int, str] = {}  # small statement -> name converted just before it
        self.chained: dict[int, str] = {}  # call statement -> argument that the result rebinds too
        self.x64_needed = False
        decisions = [self._decision(plan) for plan in self.plan.plans]
        applied = iter(self.report([decision for decision in decisions if decision is not None]))
        for plan, decision in zip(self.plan.plans, decisions):
            if decision is None or not next(applied):  # nothing decided, a refusal, or a fix not made
                continue
            write, form = plan.write, plan.form
            if write.form == "helper" and write.callee in self.plan.already_returned:
                self.chained[id(write.node)] = write.name
            elif write.form == "helper":
                self.rebinds.setdefault(id(write.node), []).append(write.name)
            else:
                self.x64_needed |= form.needs_x64
                self.replacements[id(write.node)] = form.statement
                if form.convert:
                    self.conversions[id(write.node)] = form.convert
                if form.convert or "jnp." in cst.Module(body=[]).code_for_node(form.statement):
                    self.add_import("jax.numpy", asname="jnp")
        self.returned: dict[int, list[str]] = {}
        functions = list(self.plan.returned.items())
        returns = [Fix(planner.top_level[function], "JX107", self._returns_message(function, params),
                       assumption=self.plan.public_reason[function]) for function, params in functions]
        for (function, params), made_here in zip(functions, self.report(returns)):
            if made_here and function not in self.plan.already_returned:
                self.returned[id(planner.top_level[function])] = params
        # every leave_* hook below reads one of these tables, keyed by the ids of original nodes
        self.rewritten = set().union(self.replacements, self.rebinds, self.conversions, self.chained, self.returned)

    def rewrites_below(self) -> bool:
        return bool(self.rewritten)

    def rewrites_in(self, statement: cst.CSTNode) -> bool:
        return self.holds_any(statement, self.rewritten)

    @staticmethod
    def _decision(plan) -> Decision | None:
        """What the planner decided for one write: a refusal, a fix, or nothing to report."""
        if plan.refusal is not None:
            refusal = plan.refusal
            return Refusal(plan.write.node, refusal.code, refusal.message, refusal.reason, refusal.hint)
        if not plan.rewrites:
            return None
        return Fix(plan.write.node, plan.form.code, plan.form.message, assumption=plan.form.unsafe_because)

    def _returns_message(self, function: str, params: list[str]) -> str:
        if function in self.plan.already_returned:
            return (f"`{function}` writes `{params[0]}` in place and returns it; every call site in this "
                    "module now rebinds it to the result")
        return (f"`{function}` writes {', '.join(f'`{p}`' for p in params)} in place; it now returns "
                f"{'it' if len(params) == 1 else 'them'} and every call site in this module rebinds")

    def finish(self, module: cst.Module) -> cst.Module:
        """Imports first, then (JX113) the x64 switch right after the imports."""
        switch = self.x64_needed and self.fix(
            self.wrapper.module, "JX113",
            "x64 enabled after the imports: arrays the in-place rewrites convert to jax keep NumPy's float64",
        )
        if switch:
            self.add_import("jax")
        module = super().finish(module)
        if not switch:
            return module
        return insert_x64_switch(module)

    def _line(self, node: cst.CSTNode) -> int:
        return self.position(node)[0]

    def _needs_wrap(self, write: Write) -> bool:
        """False only when the written name surely holds a jax array (made by a jax.numpy call)."""
        if write.after_write:  # an earlier rewritten write on every path already made it a jax array
            return False
        return not write.refs or not all(
            ref.buffer.origin == "local" and ref.buffer.creator.startswith("jax.") for ref in write.refs
        )

    # -- rewriting -------------------------------------------------------------------------

    def _replace(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        replacement = self.replacements.get(id(original))
        if replacement is not None:
            return replacement.with_changes(semicolon=getattr(updated, "semicolon", cst.MaybeSentinel.DEFAULT))
        chained = self.chained.get(id(original))
        if chained is not None:  # f returns the array it wrote: `y = f(x)` -> `y = x = f(x)`
            targets = [*getattr(updated, "targets", []), cst.AssignTarget(cst.Name(chained))]
            return cst.Assign(targets=targets, value=updated.value, semicolon=updated.semicolon)
        names = self.rebinds.get(id(original))
        if names is None:
            return updated
        targets = [cst.Name(n) for n in names]
        if isinstance(updated, cst.Assign):
            targets = [updated.targets[0].target, *targets]
        value = updated.value
        target = targets[0] if len(targets) == 1 else cst.Tuple(
            [cst.Element(t) for t in targets], lpar=[], rpar=[]
        )
        return cst.Assign(targets=[cst.AssignTarget(target)], value=value, semicolon=updated.semicolon)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        """Put ``x = jnp.asarray(x)`` before a rewritten write whose target may be a NumPy array:
        on a line of its own when the write had its own line, else before it on the same line."""
        converted = [self.conversions.get(id(small)) for small in original_node.body]
        if not any(converted):
            return updated_node
        if len(original_node.body) == 1:
            conversion = cst.SimpleStatementLine(
                [_conversion(converted[0])], leading_lines=updated_node.leading_lines
            )
            return cst.FlattenSentinel([conversion, updated_node.with_changes(leading_lines=[])])
        body: list[cst.BaseSmallStatement] = []
        for name, small in zip(converted, updated_node.body):
            if name:
                body.append(_conversion(name).with_changes(semicolon=cst.Semicolon(
                    whitespace_after=cst.SimpleWhitespace(" "))))
            body.append(small)
        return updated_node.with_changes(body=body)

    def leave_SimpleStatementSuite(self, original_node, updated_node):
        converted = [self.conversions.get(id(small)) for small in original_node.body]
        if not any(converted):
            return updated_node
        body: list[cst.BaseSmallStatement] = []
        for name, small in zip(converted, updated_node.body):
            if name:
                body.append(_conversion(name).with_changes(semicolon=cst.Semicolon(
                    whitespace_after=cst.SimpleWhitespace(" "))))
            body.append(small)
        return updated_node.with_changes(body=body)

    def leave_Assign(self, original_node, updated_node):
        return self._replace(original_node, updated_node)

    def leave_AugAssign(self, original_node, updated_node):
        return self._replace(original_node, updated_node)

    def leave_Expr(self, original_node, updated_node):
        return self._replace(original_node, updated_node)

    def leave_FunctionDef(self, original_node, updated_node):
        params = self.returned.get(id(original_node))
        return updated_node if params is None else _return_params(updated_node, params)


def _conversion(name: str) -> cst.Assign:
    return cst.Assign([cst.AssignTarget(cst.Name(name))], cst.parse_expression(f"jnp.asarray({name})"))


def _return_params(function: cst.FunctionDef, params: list[str]) -> cst.FunctionDef:
    """Make ``function`` hand back ``params`` after its own result (the JX107 contract)."""
    extra = ", ".join(params)

    class Returns(cst.CSTTransformer):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_Lambda(self, node):
            return False

        def visit_ClassDef(self, node):
            return False

        def leave_Return(self, original, updated):
            value = updated.value
            if value is None or (isinstance(value, cst.Name) and value.value == "None"):
                new = extra
            else:
                shown = cst.Module(body=[]).code_for_node(value)
                if isinstance(value, cst.Tuple) and not value.lpar:
                    shown = f"({shown})"
                new = f"{shown}, {extra}"
            return updated.with_changes(
                value=cst.parse_expression(new), whitespace_after_return=cst.SimpleWhitespace(" ")
            )

    returns_value = returns_a_value(function)
    function = function.visit(Returns())
    body = list(function.body.body)
    if not body or not _ends_in_exit(body[-1]):
        fallthrough = f"None, {extra}" if returns_value else extra
        body.append(cst.SimpleStatementLine([cst.Return(cst.parse_expression(fallthrough))]))
    return function.with_changes(body=function.body.with_changes(body=body))


def _ends_in_exit(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[-1], (cst.Return, cst.Raise))

"""Conditionals on array values -> ``jnp.where``, ``lax.cond`` and ``lax.switch`` (JX4xx).

## What it does
Rewrites ``if`` statements, ``if``/``elif``/``else`` chains and ``a if c else b`` expressions
whose condition is an array value (per the shared value-kind analysis):

- branches that assign the same names (or return) cheap elementwise values become
  ``jnp.where(c, a, b)`` (nested for ``elif`` chains);
- other pure branches become ``lax.cond(c, true_fn, false_fn, *operands)`` or, for chains,
  ``lax.switch(index, branches, *operands)``;
- ``and`` / ``or`` / ``not`` on boolean arrays become ``jnp.logical_and/or/not``;
- a value-dependent ``raise`` or ``assert`` is reported; with ``--unsafe`` it becomes
  ``checkify.debug_check``.

Conditions on static values (``if n > 0`` with a static ``n``, ``if x.ndim == 2``,
``if mode == "fast"``, ``is None`` tests) stay Python ``if``: that is correct and fastest.

## Why JAX needs it
Under ``jax.jit`` an array condition is a tracer; ``if x > 0:`` raises
TracerBoolConversionError. ``jnp.where`` evaluates both sides and selects; ``lax.cond``
traces both branches and runs one.

``jnp.where`` evaluates both sides, so ``jnp.where(x > 0, jnp.log(x), 0.0)`` has a NaN
gradient at ``x <= 0``. When a branch holds log/sqrt/division/fractional power (or another
function with an unbounded derivative) jaxify emits the "double where" form, which feeds
that branch a harmless value wherever it is not selected; values are unchanged and the
finding says so.

## Example
Before:

    if x > 0:
        y = np.log(x)
    else:
        y = 0.0

After:

    y = jnp.where(x > 0, jnp.log(jnp.where(x > 0, x, 1)), 0.0)

## When it refuses
- a branch has side effects (I/O, calls jaxify cannot prove pure, in-place updates),
  nested loops, or a ``return`` that only some branches take;
- a name assigned in only one branch is used afterwards and has no earlier value;
- the branch values are not elementwise with matching shapes, and the condition cannot be
  proven a scalar (``lax.cond`` needs one);
- the ``elif`` chain mixes traced and static conditions after a traced one;
- and/or on arrays that are not boolean (Python returns an operand, not a bool).
"""

from __future__ import annotations

import dataclasses
import functools
import re

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider

from jaxify.analysis.providers import Scopes
from jaxify.analysis.tree import walk
from jaxify.analysis.effects import calls_in
from jaxify.analysis.jax_differences import computed_by_numpy
from jaxify.analysis.expressions import ORDERINGS, ShapeOperands, code_of, is_bool_valued, pure_call_target, split_chain
from jaxify.codemod import Codemod, fresh_name
from jaxify.codemods.conditional_builders import debug_check
from jaxify.codemods.conditional_cond import CondForm
from jaxify.codemods.conditional_where import WhereForm
from jaxify.codemods.branches import (
    Link,
    Refusal,
    assigned_pairs,
    comment_lines,
    names_read,
    raise_message,
    small_statements,
    unparen,
)
from jaxify.rules import Rule, Safety

RULES = (
    Rule("JX401", "if-to-where", Safety.SAFE,
         "`if` on an array condition whose branches assign or return elementwise values -> `jnp.where`.",
         doc="Uses the double-where form when a branch is not differentiable on the other's domain."),
    Rule("JX402", "if-to-cond", Safety.SAFE,
         "`if` on a scalar array condition with pure branches -> `lax.cond` / `lax.switch`."),
    Rule("JX403", "ifexp-to-where", Safety.SAFE,
         "`a if c else b` on an array condition -> `jnp.where` / `lax.cond`."),
    Rule("JX404", "bool-op-on-array", Safety.SAFE,
         "`and` / `or` / `not` on boolean arrays -> `jnp.logical_and` / `logical_or` / `logical_not`; a chained "
         "comparison `a <= v < b` -> `jnp.logical_and(a <= v, v < b)` (refused where `v` calls a function)."),
    Rule("JX405", "traced-if-refused", Safety.REPORT,
         "`if` on an array condition that jaxify cannot rewrite; it fails under `jax.jit`."),
    Rule("JX406", "value-dependent-raise", Safety.UNSAFE,
         "`raise` / `assert` on an array value -> `checkify.debug_check` (fires only under `checkify.checkify`)."),
)

CHECKIFY_ASSUMPTION = (
    "`checkify.debug_check` raises only when the caller wraps the function in `checkify.checkify`; "
    "under plain `jax.jit` the check does nothing"
)


class Conditionals(WhereForm, CondForm, Codemod):
    RULES = RULES
    METADATA_DEPENDENCIES = (PositionProvider, Scopes)

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        # Updated nodes -> the original nodes they came from, so analysis facts (kinds, qualified
        # names) stay reachable while rewriting nodes whose children were already rewritten.
        self._origin: dict[int, tuple[cst.CSTNode, cst.CSTNode]] = {}
        self._generated: dict[int, tuple[cst.CSTNode, str]] = {}
        self._functions: dict[str, cst.FunctionDef] = {}
        self._taken: set[str] = set()
        self._original_ids: set[int] = set()
        self._assigned_values: dict[int, cst.BaseExpression] = {}
        self._priors: dict[int, tuple[cst.Name, cst.If]] = {}
        self._update_values: set[int] = set()
        self.shapes = ShapeOperands(self._qualified_name, self._is_static)

    @classmethod
    def applies_to(cls, text: str) -> bool:
        return bool(re.search(r"\b(if|assert|and|or|not)\b", text))

    # -- bookkeeping -------------------------------------------------------------------------

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        if isinstance(result, cst.CSTNode):
            self._origin[id(result)] = (result, original_node)
        self._original_ids.add(id(original_node))
        return result

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node in self._functions.values():
            self._taken = set()  # branch functions are local: their names need not differ across functions

    def visit_Module(self, node: cst.Module) -> None:
        self._functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        self._module = node
        walk = self.analysis.tree.walk
        self._testing = {id(statement) for statement in node.body
                         if any(self._tests_an_array(inner) for inner in walk(statement))}

    def rewrites_below(self) -> bool:
        return bool(self._testing)

    def rewrites_in(self, statement: cst.CSTNode) -> bool:
        return id(statement) in self._testing

    def _tests_an_array(self, node: cst.CSTNode) -> bool:
        """Whether a hook below may act on ``node`` of the visited tree: every rewrite and finding of
        this codemod starts from the truth of an array value tested there. A hook reads the kind of
        the original node an updated one was rebuilt from, and a node jaxify built is never an array
        to it, so what none of the originals offers, no hook meets."""
        kind = type(node)  # asked of every node: `is` costs far less than isinstance on LibCST's classes
        if kind in (cst.If, cst.Assert, cst.IfExp):
            tested = [node.test]
        elif kind is cst.BooleanOperation:
            tested = [node.left, node.right]
        elif kind is cst.Comparison and len(node.comparisons) > 1:
            # a chain: Python tests the truth of every link but the last
            tested = [node.left, *(target.comparator for target in node.comparisons[:-1])]
        elif kind is cst.UnaryOperation and type(node.operator) is cst.Not:
            tested = [node.expression]
        else:
            return False
        return any(self._is_array(expr) for expr in tested)

    @functools.cached_property
    def _module_names(self) -> set[str]:
        """Private-looking names the module already uses, which a branch function must not take."""
        return set(re.findall(r"\b_\w+\b", self._module.code))

    def _original(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The node of the visited tree that ``node`` stands for; None for nodes jaxify built."""
        entry = self._origin.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        if id(node) in self._original_ids or self.get_metadata(PositionProvider, node, None) is not None:
            return node
        return None

    def _qualified_name(self, node: cst.CSTNode) -> str | None:
        generated = self._generated.get(id(node))
        if generated is not None and generated[0] is node:
            return generated[1]
        original = self._original(node)
        return self.analysis.qualified_name(original) if original is not None else None

    def _kind(self, node: cst.CSTNode):
        original = self._original(node)
        if original is None:
            return None
        return self.analysis.kind_of(original)

    def _is_static(self, node: cst.CSTNode) -> bool:
        from jaxify.analysis import Kind

        return self._kind(node) is Kind.STATIC

    def _is_array(self, node: cst.CSTNode) -> bool:
        from jaxify.analysis import Kind

        original = self._original(node)  # a value NumPy computed on the host is concrete, not traced
        return self._kind(node) is Kind.ARRAY and not computed_by_numpy(self.analysis, original)

    def _jnp(self, function: str, *args: cst.BaseExpression) -> cst.Call:
        """``jnp.<function>(args)``, remembered as a known jax.numpy call for later analysis."""
        self.add_import("jax.numpy", None, "jnp")
        func = cst.Attribute(cst.Name("jnp"), cst.Name(function))
        self._generated[id(func)] = (func, f"jax.numpy.{function}")
        return cst.Call(func, [cst.Arg(arg) for arg in args])

    def _lax(self, function: str, *args: cst.BaseExpression) -> cst.Call:
        self.add_import("jax", "lax")
        func = cst.Attribute(cst.Name("lax"), cst.Name(function))
        self._generated[id(func)] = (func, f"jax.lax.{function}")
        return cst.Call(func, [cst.Arg(arg) for arg in args])

    def _fresh_name(self, base: str) -> str:
        name = fresh_name(base, self._module_names | self._taken)
        self._taken.add(name)
        return name

    # -- purity --------------------------------------------------------------------------------

    def _impure_call(self, node: cst.CSTNode) -> str | None:
        """The first call in ``node`` that may have side effects, as source text, else None."""
        for call in calls_in(node):
            pure, shown = pure_call_target(call, self._qualified_name, self.analysis.effects.is_pure)
            if not pure:
                return shown
        return None

    # -- scopes ----------------------------------------------------------------------------------

    def _line_range(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.get_metadata(PositionProvider, node)
        return where.start.line, where.end.line

    def _scope_facts(self, if_original: cst.If, names: set[str]) -> tuple[set[str], set[str]]:
        """(names used outside the if statement, names bound before it)."""
        scope = self.get_metadata(Scopes, if_original.test, None)
        used, prior = set(), set()
        if scope is None:
            return used, prior
        start, end = self._line_range(if_original)
        for name in names:
            for access in scope.accesses[name]:
                line = self.get_metadata(PositionProvider, access.node).start.line
                if line < start or line > end:
                    used.add(name)
            for assignment in scope.assignments[name]:
                node = getattr(assignment, "node", None)
                if node is None:
                    continue
                position = self.get_metadata(PositionProvider, node, None)
                if position is not None and position.start.line < start:
                    prior.add(name)
        return used, prior

    # -- blocks: if statements ---------------------------------------------------------------

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        if len(original_node.body) != len(updated_node.body):
            return updated_node
        body: list[cst.BaseStatement] = []
        index, changed = 0, False
        pairs = list(zip(original_node.body, updated_node.body))
        while index < len(pairs):
            original, updated = pairs[index]
            following = pairs[index + 1] if index + 1 < len(pairs) else None
            if isinstance(original, cst.If):
                result = self._rewrite_if(original, updated, following)
                if result is not None:
                    statements, consumed = result
                    body.extend(statements)
                    index += 2 if consumed else 1
                    changed = True
                    continue
            body.append(updated)
            index += 1
        return updated_node.with_changes(body=body) if changed else updated_node

    def _chain(self, original: cst.If, updated: cst.If) -> tuple[list[Link], bool]:
        """The arms of an if/elif/else statement; the flag is False when a later test is not traced."""
        links: list[Link] = []
        while True:
            links.append(Link(original.test, updated.test, original.body, updated.body))
            if isinstance(original.orelse, cst.If):
                if not self._is_array(original.orelse.test):
                    return links, False
                original, updated = original.orelse, updated.orelse
                continue
            if original.orelse is not None:
                links.append(Link(None, None, original.orelse.body, updated.orelse.body))
            return links, True

    def _rewrite_if(self, original: cst.If, updated: cst.If, following, keep_leading: bool = True):
        """The statements replacing an if statement, and whether it used the statement after it."""
        from jaxify.analysis import Kind

        kind = self.analysis.kind_of(original.test)
        if kind is Kind.STATIC and isinstance(original.orelse, cst.If):
            # `if static: ... elif traced: ...`: the Python if stays, its elif tail is rewritten.
            tail = self._rewrite_if(original.orelse, updated.orelse, None, keep_leading=False)
            if tail is None:
                return None
            orelse = cst.Else(body=cst.IndentedBlock(body=tail[0]), leading_lines=updated.orelse.leading_lines)
            return [updated.with_changes(orelse=orelse)], False
        if kind is not Kind.ARRAY or computed_by_numpy(self.analysis, original.test):
            return None  # a value NumPy computed (and keeps computing) is concrete: the Python if stays
        links, all_traced = self._chain(original, updated)
        test_text = code_of(original.test)
        if not all_traced:
            self.refuse(original, "JX405", f"`if {test_text}` on an array value cannot run under jax.jit",
                        reason="the elif chain mixes traced and static conditions",
                        hint="split the static tests into their own `if` around the traced ones")
            return None
        if any(_has_bool_operation(link.test) for link in links if link.test is not None):
            self.refuse(original, "JX405", f"`if {test_text}` on an array value cannot run under jax.jit",
                        reason="its condition keeps a Python `and`/`or` that jaxify could not turn into "
                               "`jnp.logical_and`/`logical_or` (see JX404)",
                        hint="split the static part of the condition into its own `if`")
            return None
        if self._is_raise_guard(links):
            result = self._raise_to_check(original, links[0])
        else:
            try:
                result = self._rewrite_chain(original, updated, links, following)
            except Refusal as refusal:
                self.refuse(original, "JX405", f"`if {test_text}` on an array value cannot run under jax.jit",
                            reason=str(refusal),
                            hint="rewrite it with `jnp.where` or `lax.cond` by hand, or keep the function out of jit")
                return None
        if result is None:
            return None
        statements, consumed = result
        if keep_leading:
            statements[0] = statements[0].with_changes(leading_lines=[*updated.leading_lines, *statements[0].leading_lines])
        return statements, consumed

    def _rewrite_chain(self, original, updated, links, following):
        statements = [small_statements(link.block) for link in links]
        for body in statements:
            if any(isinstance(s, cst.Raise) for s in body):
                raise Refusal("a branch raises an exception on an array value (see JX406 for `if c: raise`)")
        ends_in_return = [bool(body) and isinstance(body[-1], cst.Return) for body in statements]
        returns, consumed = all(ends_in_return), False
        if any(ends_in_return) and not returns:
            raise Refusal("only some branches `return`")
        if returns and links[-1].test is not None:
            # `if c: return a` followed by `return b` is `if c: return a else: return b`.
            if not (following is not None and isinstance(following[0], cst.SimpleStatementLine)
                    and len(following[0].body) == 1 and isinstance(following[0].body[0], cst.Return)):
                raise Refusal("a branch returns early and the code after the if does not simply return")
            links.append(Link(None, None, following[0], following[1]))
            statements.append([following[1].body[0]])
            consumed = True
        hoisted = [] if consumed else self._hoist_common_prefix(links, statements)
        if links[-1].test is not None:
            links.append(Link(None, None, None, None))  # the implicit else: names keep their values
            statements.append([])
        for body in statements:
            for statement in body:
                if isinstance(statement, cst.Return) and (statement.value is None or statement is not body[-1]):
                    raise Refusal("a branch returns None or has statements after its return")
        where_reason = ""
        try:
            statements_out, note = self._where_form(original, links, statements, returns)
            code, form = "JX401", "jnp.where"
        except Refusal as refusal:
            where_reason = str(refusal)
            try:
                statements_out, note = self._cond_form(original, links, statements, returns)
            except Refusal as refusal:
                raise Refusal(f"{where_reason}; {refusal}") from None
            code, form = "JX402", "lax.switch" if len(links) > 2 else "lax.cond"
        message = f"`if {code_of(original.test)}` on an array value -> `{form}`{note}"
        if not self.fix(original, code, message):
            return None
        if code == "JX401":
            comments = [line for link in links for line in comment_lines(link.block)]
            statements_out[0] = statements_out[0].with_changes(
                leading_lines=[*comments, *statements_out[0].leading_lines]
            )
        return [*hoisted, *statements_out], consumed

    def _hoist_common_prefix(self, links, statements) -> list[cst.SimpleStatementLine]:
        """Leading assignments every branch makes identically run whichever branch is taken:
        they move before the rewritten conditional. Not when a test reads what they assign,
        since the tests run before the branch. Without an ``else``, only conversions that keep
        the value (``out = jnp.asarray(out)``, which the in-place codemod puts before each
        ``.at[]`` update) may also run where no branch is taken."""
        tests_read = set().union(*(names_read(link.test) for link in links if link.test is not None))
        blocks = [link.block for link in links]
        if not all(isinstance(block, cst.IndentedBlock) for block in blocks):
            return []
        count = 0
        while all(len(block.body) > count for block in blocks):
            lines = [block.body[count] for block in blocks]
            if not all(isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 for line in lines):
                break
            first = lines[0].body[0]
            pairs = assigned_pairs(first)
            if (
                pairs is None
                or len({code_of(line.body[0]).strip() for line in lines}) != 1
                or (links[-1].test is not None and not self._keeps_value(first))
                or {name for name, _ in pairs} & tests_read
                or self._impure_call(first) is not None
            ):
                break
            count += 1
        if not count:
            return []
        for index, link in enumerate(links):
            links[index] = dataclasses.replace(link, block=link.block.with_changes(body=link.block.body[count:]))
            statements[index] = statements[index][count:]
        return list(blocks[0].body[:count])

    # -- raise / assert -> checkify ----------------------------------------------------------------

    @staticmethod
    def _is_raise_guard(links) -> bool:
        if len(links) != 1:
            return False
        try:
            body = small_statements(links[0].block)
        except Refusal:
            return False
        return len(body) == 1 and isinstance(body[0], cst.Raise)

    def _raise_to_check(self, original, link):
        raise_ = small_statements(link.block)[0]
        message = raise_message(raise_)
        if not self.fix(
            original, "JX406", f"`if {code_of(original.test)}: raise` on an array value cannot raise under jax.jit",
            unsafe_because=CHECKIFY_ASSUMPTION,
            hint="wrap the jitted function in `jax.experimental.checkify.checkify` and call `err.throw()`",
        ):
            return None
        check = self._debug_check(self._jnp("logical_not", link.test), message)
        return [cst.SimpleStatementLine([cst.Expr(check)])], False

    def _debug_check(self, predicate: cst.BaseExpression, message: str) -> cst.Call:
        self.add_import("jax.experimental", "checkify")
        return debug_check(predicate, message)

    def leave_Assert(self, original_node: cst.Assert, updated_node: cst.Assert):
        if not self._is_array(updated_node.test):
            return updated_node
        if updated_node.msg is not None and not isinstance(updated_node.msg, cst.SimpleString):
            message = "assertion failed"
        elif updated_node.msg is not None and isinstance(updated_node.msg.evaluated_value, str):
            message = updated_node.msg.evaluated_value.replace("{", "{{").replace("}", "}}")
        else:
            message = f"assert {code_of(original_node.test)}".replace("{", "{{").replace("}", "}}")
        if not self.fix(
            original_node, "JX406", f"`assert {code_of(original_node.test)}` on an array value cannot raise under jax.jit",
            unsafe_because=CHECKIFY_ASSUMPTION,
            hint="wrap the jitted function in `jax.experimental.checkify.checkify` and call `err.throw()`",
        ):
            return updated_node
        return cst.Expr(self._debug_check(updated_node.test, message))

    # -- expressions ---------------------------------------------------------------------------------

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp):
        if not self._is_array(updated_node.test) or _has_bool_operation(updated_node.test):
            return updated_node
        links = [Link(original_node.test, updated_node.test, None, None), Link(None, None, None, None)]
        column = [updated_node.body, updated_node.orelse]
        message = f"`... if {code_of(original_node.test)} else ...` on an array value"
        try:
            for part in (updated_node.test, *column):
                self._check_pure(part)
            try:
                condition = self.shapes.operands(updated_node.test) or frozenset()
                if id(original_node) not in self._update_values:
                    self._check_same_shape(column, condition)
                sanitized = [self._sanitize(v, links, i) for i, v in enumerate(column)]
                note = " (double where)" if any(s is not v for s, v in zip(sanitized, column)) else ""
                new = self._jnp("where", updated_node.test, *sanitized)
                form = "jnp.where"
            except Refusal as refusal:
                if not self._is_scalar(updated_node.test):
                    raise Refusal(f"{refusal}; lax.cond needs a scalar condition") from None
                if any(isinstance(v, cst.Integer) for v in column) and not all(isinstance(v, cst.Integer) for v in column):
                    raise Refusal("an int literal against another value may differ in dtype") from None
                note, form = "", "lax.cond"
                new = self._lax("cond", *[
                    self._predicate(updated_node.test),
                    cst.Lambda(cst.Parameters(), unparen(column[0])),
                    cst.Lambda(cst.Parameters(), unparen(column[1])),
                ])
        except Refusal as refusal:
            self.refuse(original_node, "JX403", f"{message} cannot run under jax.jit", reason=str(refusal),
                        hint="rewrite it with `jnp.where` or `lax.cond` by hand")
            return updated_node
        if not self.fix(original_node, "JX403", f"{message} -> `{form}`{note}"):
            return updated_node
        return new.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_BooleanOperation(self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation):
        if not (self._is_array(updated_node.left) or self._is_array(updated_node.right)):
            return updated_node
        word = "and" if isinstance(updated_node.operator, cst.And) else "or"
        message = f"`{word}` on array values"
        if not self._is_array(updated_node.left):
            self.refuse(original_node, "JX404", f"{message} cannot run under jax.jit",
                        reason=f"the static left operand guards the right one: Python's `{word}` may skip it",
                        hint="test the static part in its own `if`, around the array part")
            return updated_node
        if not (is_bool_valued(updated_node.left, self._qualified_name)
                and is_bool_valued(updated_node.right, self._qualified_name)):
            self.refuse(original_node, "JX404", f"{message} cannot run under jax.jit",
                        reason=f"an operand is not boolean, and Python's `{word}` returns an operand, not a bool",
                        hint=f"use `jnp.logical_{word}` on explicit comparisons")
            return updated_node
        if _indexes(updated_node.right):
            self.refuse(original_node, "JX404", f"{message} cannot run under jax.jit",
                        reason=f"the right operand indexes an array and the left one may guard it: Python's "
                               f"`{word}` skips it, `jnp.logical_{word}` would evaluate it (NumPy raises IndexError)",
                        hint=f"use `jnp.logical_{word}` by hand where every index is in bounds")
            return updated_node
        if self._impure_call(updated_node) is not None:
            self.refuse(original_node, "JX404", f"{message} cannot run under jax.jit",
                        reason="an operand may have side effects that `and`/`or` would skip",
                        hint=f"use `jnp.logical_{word}` by hand")
            return updated_node
        if not self.fix(original_node, "JX404", f"{message} -> `jnp.logical_{word}`"):
            return updated_node
        call = self._jnp(f"logical_{word}", unparen(updated_node.left), unparen(updated_node.right))
        return call.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_Comparison(self, original_node: cst.Comparison, updated_node: cst.Comparison):
        operands = [updated_node.left, *(target.comparator for target in updated_node.comparisons)]
        # Python tests the truth of every link but the last: only an array there needs the split
        if len(operands) < 3 or not any(self._is_array(operand) for operand in operands[:-1]):
            return updated_node
        message = "chained comparison on array values"
        links = split_chain(updated_node)
        if links is None:
            self.refuse(original_node, "JX404", f"{message} cannot run under jax.jit",
                        reason="Python tests the truth of each link, and " + (
                            "a middle operand calls a function (called once by Python, twice if split)"
                            if all(isinstance(t.operator, ORDERINGS) for t in updated_node.comparisons)
                            else "`in` / `is` test containers and identity, not values"),
                        hint="compute the middle operand first, then join the comparisons with `jnp.logical_and`")
            return updated_node
        if not self.fix(original_node, "JX404", f"{message} -> `jnp.logical_and`"):
            return updated_node
        call = links[0]
        for link in links[1:]:
            call = self._jnp("logical_and", call, link)
        return call.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_UnaryOperation(self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation):
        if not isinstance(updated_node.operator, cst.Not) or not self._is_array(updated_node.expression):
            return updated_node
        if not self.fix(original_node, "JX404", "`not` on an array value -> `jnp.logical_not`"):
            return updated_node
        call = self._jnp("logical_not", unparen(updated_node.expression))
        return call.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def _indexes(expr: cst.BaseExpression) -> bool:
    """Does ``expr`` subscript anything (a read that can raise IndexError)?"""
    return m.findall(expr, m.Subscript()) != []


def _has_bool_operation(test: cst.BaseExpression) -> bool:
    """A Python `and`/`or` left in a condition: under jit it would still test a tracer's truth."""
    return any(type(node) is cst.BooleanOperation for node in walk(test))

"""Conditionals on array values -> ``jnp.where``, ``lax.cond`` and ``lax.switch`` (JX4xx).

What it does
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

Why JAX needs it
    Under ``jax.jit`` an array condition is a tracer; ``if x > 0:`` raises
    TracerBoolConversionError. ``jnp.where`` evaluates both sides and selects; ``lax.cond``
    traces both branches and runs one.

    ``jnp.where`` evaluates both sides, so ``jnp.where(x > 0, jnp.log(x), 0.0)`` has a NaN
    gradient at ``x <= 0``. When a branch holds log/sqrt/division/fractional power (or another
    function with an unbounded derivative) jaxify emits the "double where" form, which feeds
    that branch a harmless value wherever it is not selected; values are unchanged and the
    finding says so.

Example
    Before::

        if x > 0:
            y = np.log(x)
        else:
            y = 0.0

    After::

        y = jnp.where(x > 0, jnp.log(jnp.where(x > 0, x, 1)), 0.0)

When it refuses
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
import re

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider, ScopeProvider

from jaxify.analysis.jax_differences import computed_by_numpy
from jaxify.analysis.expressions import (
    ShapeOperands,
    at_update_base,
    calls_in,
    code_of,
    domain_unsafe_operands,
    is_bool_valued,
    is_literal,
    is_scalar_reduction,
    pure_call_target,
    string_literal,
)
from jaxify.codemod import Codemod
from jaxify.codemods.branches import (
    Link,
    Refusal,
    assigned_name,
    assigned_pairs,
    binds_looser,
    comment_lines,
    names_read,
    raise_message,
    small_statements,
    statement_reads,
    target_names,
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
         "`and` / `or` / `not` on boolean arrays -> `jnp.logical_and` / `logical_or` / `logical_not`."),
    Rule("JX405", "traced-if-refused", Safety.REPORT,
         "`if` on an array condition that jaxify cannot rewrite; it fails under `jax.jit`."),
    Rule("JX406", "value-dependent-raise", Safety.UNSAFE,
         "`raise` / `assert` on an array value -> `checkify.debug_check` (fires only under `checkify.checkify`)."),
)

CHECKIFY_ASSUMPTION = (
    "`checkify.debug_check` raises only when the caller wraps the function in `checkify.checkify`; "
    "under plain `jax.jit` the check does nothing"
)


class Conditionals(Codemod):
    RULES = RULES
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider)

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        # Updated nodes -> the original nodes they came from, so analysis facts (kinds, qualified
        # names) stay reachable while rewriting nodes whose children were already rewritten.
        self._origin: dict[int, tuple[cst.CSTNode, cst.CSTNode]] = {}
        self._generated: dict[int, tuple[cst.CSTNode, str]] = {}
        self._functions: dict[str, cst.FunctionDef] = {}
        self._purity: dict[str, bool] = {}
        self._taken: set[str] = set()
        self._module_names: set[str] = set()
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
        self._module_names = set(re.findall(r"\b_\w+\b", node.code))

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

    def _lax(self, function: str, args: list[cst.BaseExpression]) -> cst.Call:
        self.add_import("jax", "lax")
        func = cst.Attribute(cst.Name("lax"), cst.Name(function))
        self._generated[id(func)] = (func, f"jax.lax.{function}")
        return cst.Call(func, [cst.Arg(arg) for arg in args])

    def _fresh_name(self, base: str) -> str:
        name, counter = base, 1
        while name in self._module_names or name in self._taken:
            counter += 1
            name = f"{base}_{counter}"
        self._taken.add(name)
        return name

    # -- purity --------------------------------------------------------------------------------

    def _impure_call(self, node: cst.CSTNode) -> str | None:
        """The first call in ``node`` that may have side effects, as source text, else None."""
        for call in calls_in(node):
            pure, shown = pure_call_target(call, self._qualified_name)
            if pure:
                continue
            if isinstance(call.func, cst.Name) and self._pure_function(call.func.value):
                continue
            return shown
        return None

    def _pure_function(self, name: str) -> bool:
        """A module-level function with no global writes, I/O or mutation of its arguments."""
        if name in self._purity:
            return self._purity[name]
        function = self._functions.get(name)
        if function is None:
            return False
        self._purity[name] = False  # recursion: assume impure until proven otherwise
        self._purity[name] = self._statements_pure(function.body)
        return self._purity[name]

    def _statements_pure(self, body: cst.CSTNode) -> bool:
        impure = False

        class Checker(cst.CSTVisitor):
            def visit_Global(self, node) -> None:
                nonlocal impure
                impure = True

            visit_Nonlocal = visit_Global
            visit_Del = visit_Global
            visit_Yield = visit_Global

            def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
                nonlocal impure
                impure |= target_names(node.target) is None

            def visit_AugAssign(self, node: cst.AugAssign) -> None:
                nonlocal impure
                impure |= not isinstance(node.target, cst.Name)

        body.visit(Checker())
        return not impure and self._impure_call(body) is None

    # -- scopes ----------------------------------------------------------------------------------

    def _line_range(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.get_metadata(PositionProvider, node)
        return where.start.line, where.end.line

    def _scope_facts(self, if_original: cst.If, names: set[str]) -> tuple[set[str], set[str]]:
        """(names used outside the if statement, names bound before it)."""
        scope = self.get_metadata(ScopeProvider, if_original.test, None)
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

    # -- jnp.where form --------------------------------------------------------------------------

    def _check_pure(self, node: cst.CSTNode) -> None:
        impure = self._impure_call(node)
        if impure is not None:
            raise Refusal(f"`{impure}(...)` may have side effects and would run on both branches")

    def _keeps_value(self, statement: cst.BaseSmallStatement) -> bool:
        """``x = jnp.asarray(x)``: the same values, only held as a jax array."""
        pair = assigned_name(statement)
        if pair is None or not isinstance(pair[1], cst.Call):
            return False
        call = pair[1]
        return (
            self._qualified_name(call.func) == "jax.numpy.asarray"
            and len(call.args) == 1 and call.args[0].keyword is None
            and isinstance(call.args[0].value, cst.Name) and call.args[0].value.value == pair[0]
        )

    def _where_form(self, original, links, statements, returns):
        tests = [link.test for link in links if link.test is not None]
        condition_operands: set[str] = set()
        for test in tests:
            self._check_pure(test)
            condition_operands |= self.shapes.operands(test) or set()
        names: list[str] = []
        if returns:
            if any(len(body) != 1 for body in statements):
                raise Refusal("a returning branch computes intermediate values")
            values = [self._tuple_parts(body[0].value) for body in statements]
            if len({len(v) for v in values}) != 1:
                raise Refusal("the branches return tuples of different lengths")
            columns = [list(column) for column in zip(*values)]
        else:
            names, columns = self._assigned_columns(original, statements)
        note = ""
        combined: list[cst.BaseExpression] = []
        for position, column in enumerate(columns):
            merged = None if returns else self._merge_at_set(names[position], column)
            if merged is None:
                self._check_same_shape(column, condition_operands, original)
            else:
                template, column = merged
            for value in column:
                self._check_pure(value)
            sanitized = [self._sanitize(value, links, index) for index, value in enumerate(column)]
            if any(s is not v for s, v in zip(sanitized, column)):
                note = " (double where: the unselected branch gets a safe input, so gradients stay finite)"
            where = self._nested_where(links, sanitized)
            combined.append(where if merged is None else template.with_changes(args=[cst.Arg(where)]))
        if returns:
            tupled = isinstance(statements[0][0].value, cst.Tuple)
            value = cst.Tuple([cst.Element(c) for c in combined], lpar=[], rpar=[]) if tupled else combined[0]
            return [cst.SimpleStatementLine([cst.Return(value)])], note
        reads: set[str] = set()
        for part in [*tests, *(value for column in columns for value in column)]:
            reads |= names_read(part)
        if len(names) > 1 and reads & set(names):
            # One tuple assignment, so every where reads the values from before the if.
            target = cst.Tuple([cst.Element(cst.Name(n)) for n in names], lpar=[], rpar=[])
            value = cst.Tuple([cst.Element(c) for c in combined], lpar=[], rpar=[])
            return [cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)])], note
        return [
            cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])
            for name, value in zip(names, combined)
        ], note

    @staticmethod
    def _tuple_parts(value: cst.BaseExpression) -> list[cst.BaseExpression]:
        if isinstance(value, cst.Tuple) and all(isinstance(e, cst.Element) for e in value.elements):
            return [e.value for e in value.elements]
        return [value]

    def _assigned_columns(self, original, statements):
        """For each assigned name, its value in every branch (its prior value where unassigned)."""
        per_branch: list[dict[str, cst.BaseExpression]] = []
        order: list[str] = []
        for body in statements:
            assigned: dict[str, cst.BaseExpression] = {}
            for statement in body:
                if isinstance(statement, cst.Pass):
                    continue
                pairs = assigned_pairs(statement) or self._rebinding(statement)
                if pairs is None:
                    raise Refusal(f"a branch holds `{code_of(statement).strip()}`, not a plain assignment")
                if statement_reads(statement) & set(assigned):
                    raise Refusal("a branch reads a name it assigned earlier")
                for name, value in pairs:
                    if name in assigned:
                        raise Refusal(f"a branch assigns `{name}` twice")
                    assigned[name] = value
                    if name not in order:
                        order.append(name)
            per_branch.append(assigned)
        if not order:
            raise Refusal("the branches assign nothing")
        missing = {name for name in order if any(name not in branch for branch in per_branch)}
        _used, prior = self._scope_facts(original, missing)
        for name in sorted(missing - prior):
            raise Refusal(f"`{name}` is assigned in only some branches and has no value before the if")
        columns = [[branch.get(name) or self._prior_value(original, name) for branch in per_branch] for name in order]
        return order, columns

    def _prior_value(self, if_original: cst.If, name: str) -> cst.Name:
        """A reference to the value ``name`` holds before the if, remembered as such."""
        node = cst.Name(name)
        self._priors[id(node)] = (node, if_original)
        return node

    def _prior_operands(self, node: cst.Name) -> frozenset[str]:
        """The shape operands of a name's value from before the if: none when it is static."""
        from jaxify.analysis import Kind

        info = self.analysis.function_of(self._priors[id(node)][1])
        if info is not None and info.kinds.get(node.value) is Kind.STATIC:
            return frozenset()
        return frozenset({node.value})

    def _assignment_lines(self, name: str, if_original: cst.If) -> list[tuple[int, cst.CSTNode]]:
        scope = self.get_metadata(ScopeProvider, if_original.test, None)
        found = []
        for assignment in scope.assignments[name] if scope is not None else []:
            node = getattr(assignment, "node", None)
            position = self.get_metadata(PositionProvider, node, None) if node is not None else None
            if position is not None:
                found.append((position.start.line, node))
        return found

    def _definition_operands(self, name: str, if_original: cst.If) -> frozenset[str] | None:
        """The operands of the one value ``name`` can hold when the if starts: its only assignment
        outside the if, before it, whose own operands are not rebound after it (so they still
        name the same values). None when that is not certain."""
        start, end = self._line_range(if_original)
        outside = [(line, node) for line, node in self._assignment_lines(name, if_original)
                   if not start <= line <= end]
        if len(outside) != 1 or outside[0][0] >= start or id(outside[0][1]) not in self._assigned_values:
            return None
        defined_at = outside[0][0]
        operands = self.shapes.operands(self._assigned_values[id(outside[0][1])])
        if operands is None:
            return None
        for operand in operands:
            if not operand.isidentifier() or operand == name:
                return None
            if any(line >= defined_at for line, _ in self._assignment_lines(operand, if_original)):
                return None
        return operands

    def _normalized(self, operands: frozenset[str], if_original: cst.If | None) -> frozenset[str]:
        """Names replaced by the operands of their single definition: ``y = x`` then ``y`` is ``x``."""
        if if_original is None:
            return operands
        result: set[str] = set()
        for key in operands:
            expanded = self._definition_operands(key, if_original) if key.isidentifier() else None
            result |= expanded if expanded is not None else {key}
        return frozenset(result)

    def _is_prior(self, node: cst.CSTNode) -> bool:
        entry = self._priors.get(id(node))
        return entry is not None and entry[0] is node

    def _check_same_shape(self, column, condition_operands, if_original: cst.If | None = None) -> None:
        """Every branch value has the shape of the others: elementwise over the same operands,
        apart from the condition's own operands (size 1, or NumPy could not have tested it)."""
        shapes = []
        condition = self._normalized(frozenset(condition_operands), if_original)
        for value in column:
            operands = self._prior_operands(value) if self._is_prior(value) else self.shapes.operands(value)
            if operands is None:
                raise Refusal(f"`{code_of(value)}` is not an elementwise expression")
            shapes.append(self._normalized(operands, if_original) - condition - frozenset(condition_operands))
        if len(set(shapes)) > 1:
            raise Refusal("the branch values may have different shapes")

    def _merge_at_set(self, name: str, column):
        """``y.at[i].set(a)`` / ``y.at[i].set(b)`` -> (the first call, [a, b]): the where then goes
        inside the one update, ``y.at[i].set(jnp.where(c, a, b))``; an unassigned arm keeps ``y[i]``."""
        template = None
        for value in column:
            if self._is_prior(value):
                continue
            func = value.func if isinstance(value, cst.Call) else None
            if not (
                isinstance(func, cst.Attribute) and func.attr.value == "set"
                and isinstance(at_update_base(value), cst.Name) and at_update_base(value).value == name
                and len(value.args) == 1 and value.args[0].keyword is None
            ):
                return None
            if template is not None and code_of(func.value) != code_of(template.func.value):
                return None
            template = template or value
        if template is None:
            return None
        index = template.func.value.slice
        inner = [cst.Subscript(cst.Name(name), index) if self._is_prior(v) else v.args[0].value for v in column]
        return template, inner

    def _nested_where(self, links, values) -> cst.BaseExpression:
        if len(values) == 1:
            return unparen(values[0])
        rest = self._nested_where(links[1:], values[1:])
        return self._jnp("where", unparen(links[0].test), unparen(values[0]), rest)

    def _guard(self, links, index) -> tuple[cst.BaseExpression, bool]:
        """The condition under which arm ``index`` is selected, and whether it is used negated."""
        if index == 0:
            return links[0].test, True
        if len(links) == 2 and links[1].test is None:
            return links[0].test, False
        previous = links[0].test
        for link in links[1:index]:
            previous = self._jnp("logical_or", previous, link.test)
        if links[index].test is None:
            return previous, False
        return self._jnp("logical_and", self._jnp("logical_not", previous), links[index].test), True

    def _sanitize(self, value, links, index) -> cst.BaseExpression:
        """The double-where form of ``value``: unsafe-domain inputs replaced where not selected."""
        unsafe = [
            (operand, safe) for operand, safe in domain_unsafe_operands(value, self._qualified_name)
            if self.shapes.operands(operand) != frozenset()
        ]
        if not unsafe:
            return value
        guard, positive = self._guard(links, index)
        replacements = {}
        for operand, safe in unsafe:
            stand_in = cst.Integer(safe)
            pair = (unparen(operand), stand_in) if positive else (stand_in, unparen(operand))
            replacements[id(operand)] = self._jnp("where", guard, *pair)

        class Replace(cst.CSTTransformer):
            def on_leave(self, original_node, updated_node):
                return replacements.get(id(original_node), updated_node)

        return value.visit(Replace())

    # -- lax.cond / lax.switch form --------------------------------------------------------------

    def _is_scalar(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        if is_literal(node) or self._is_static(node):
            return True
        if isinstance(node, cst.Comparison):
            return self._is_scalar(node.left, depth) and all(
                self._is_scalar(c.comparator, depth) for c in node.comparisons
            )
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            return self._is_scalar(node.left, depth) and self._is_scalar(node.right, depth)
        if isinstance(node, cst.UnaryOperation):
            return self._is_scalar(node.expression, depth)
        if isinstance(node, cst.Call):
            if is_scalar_reduction(node, self._qualified_name):
                return True
            name = self._qualified_name(node.func)
            if name in ("jax.numpy.logical_and", "jax.numpy.logical_or", "jax.numpy.logical_not"):
                return all(self._is_scalar(arg.value, depth) for arg in node.args)
            return False
        original = self._original(node)
        if isinstance(original, cst.Name) and depth < 4:
            value = self._single_assignment(original)
            return value is not None and self._is_scalar(value, depth + 1)
        return False

    def _single_assignment(self, name: cst.Name) -> cst.BaseExpression | None:
        """The value of the one assignment to ``name`` in its scope, if there is exactly one."""
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        assignments = list(scope.assignments[name.value])
        if len(assignments) != 1:
            return None
        target = getattr(assignments[0], "node", None)
        return self._assigned_values.get(id(target)) if target is not None else None

    def visit_Call(self, node: cst.Call) -> None:
        # `y.at[i].set(a if c else b)`: the update broadcasts either value into the same slot,
        # so `jnp.where` there needs no shape proof.
        if at_update_base(node) is not None and node.func.attr.value == "set" and len(node.args) == 1:
            self._update_values.add(id(node.args[0].value))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._assigned_values[id(node.targets[0].target)] = node.value

    def _cond_form(self, original, links, statements, returns):
        tests = [link.test for link in links if link.test is not None]
        for test in tests:
            if not self._is_scalar(test):
                raise Refusal(f"lax.cond needs a scalar condition and `{code_of(test)}` is not provably one")
            self._check_pure(test)
        assigned_per_branch: list[set[str]] = []
        reads_before: set[str] = set()
        for body in statements:
            assigned: set[str] = set()
            for statement in body:
                self._check_branch_statement(statement)
                reads_before |= statement_reads(statement) - assigned
                assigned |= self._statement_targets(statement)
            assigned_per_branch.append(assigned)
        all_assigned = set().union(*assigned_per_branch)
        used, prior = self._scope_facts(original, all_assigned)
        if returns:
            outputs: list[str] = []
        else:
            outputs = sorted(name for name in all_assigned if name in used)
            if not outputs:
                raise Refusal("the branches assign nothing used after the if")
        missing = {name for name in outputs for a in assigned_per_branch if name not in a}
        operands = sorted((reads_before & all_assigned) | missing)
        for name in operands:
            if name not in prior:
                raise Refusal(f"`{name}` is assigned in only some branches and has no value before the if")
        if not returns:
            self._check_output_types(outputs, statements)
        branch_names = self._branch_names(len(links))
        functions = [
            self._branch_function(name, link.block, operands, outputs, returns)
            for name, link in zip(branch_names, links)
        ]
        callables = [cst.Name(name) for name in branch_names]
        operand_args = [cst.Name(name) for name in operands]
        if len(callables) == 2:
            call = self._lax("cond", [self._predicate(tests[0]), *callables, *operand_args])
        else:
            index = self._jnp(
                "select",
                cst.List([cst.Element(t) for t in tests]),
                cst.List([cst.Element(cst.Integer(str(i))) for i in range(len(tests))]),
                cst.Integer(str(len(tests))),
            )
            call = self._lax("switch", [index, cst.Tuple([cst.Element(c) for c in callables]), *operand_args])
        if returns:
            final = cst.Return(call)
        else:
            target = cst.Name(outputs[0]) if len(outputs) == 1 else cst.Tuple(
                [cst.Element(cst.Name(n)) for n in outputs], lpar=[], rpar=[])
            final = cst.Assign([cst.AssignTarget(target)], call)
        return [*functions, cst.SimpleStatementLine([final])], ""

    def _predicate(self, test: cst.BaseExpression) -> cst.BaseExpression:
        if is_bool_valued(test, self._qualified_name):
            return test
        return cst.Comparison(test, [cst.ComparisonTarget(cst.NotEqual(), cst.Integer("0"))])

    def _rebinding(self, statement: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression]] | None:
        """``total += v`` as ``[(total, total + v)]`` when it only rebinds a name: the in-place
        codemod ran first and turned every array mutation it could prove into a rebinding, so an
        augmented assignment it left without a finding is on a Python scalar."""
        if not (isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name)):
            return None
        original = self._original(statement)
        line = self.position(original)[0] if original is not None else None
        if line is None or any(f.code.startswith("JX1") and f.line == line for f in self.context.findings):
            return None
        operator = getattr(cst, type(statement.operator).__name__.replace("Assign", ""))()
        value = statement.value
        if binds_looser(value, operator):
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return [(statement.target.value, cst.BinaryOperation(statement.target, operator, value))]

    def _check_branch_statement(self, statement: cst.BaseSmallStatement) -> None:
        if self._rebinding(statement) is not None:
            self._check_pure(statement)
            return
        if isinstance(statement, (cst.Pass, cst.Return)) or assigned_name(statement) is not None:
            self._check_pure(statement)
            return
        if isinstance(statement, cst.Assign) and all(target_names(t.target) for t in statement.targets):
            self._check_pure(statement)
            return
        raise Refusal(f"a branch holds `{code_of(statement).strip()}`, which may mutate or have side effects")

    @staticmethod
    def _statement_targets(statement: cst.BaseSmallStatement) -> set[str]:
        if isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name):
            return {statement.target.value}
        if isinstance(statement, cst.Assign):
            return {name for t in statement.targets for name in (target_names(t.target) or [])}
        if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
            return {statement.target.value}
        return set()

    def _check_output_types(self, outputs, statements) -> None:
        """lax.cond needs array outputs of equal dtypes: strings and None are refused, and so is a
        bare int literal against anything else."""
        for name in outputs:
            values = [v for body in statements for s in body if (p := assigned_name(s)) and p[0] == name
                      for v in [p[1]]]
            for value in values:
                if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)) or (
                    isinstance(value, cst.Name) and value.value == "None"
                ):
                    raise Refusal(f"`{name}` is `{code_of(value)}` in a branch, which is not an array")
            dtypes = {self.analysis.dtype_of(o) for v in values if (o := self._original(v)) is not None} - {None}
            if len(dtypes) > 1:
                raise Refusal(f"`{name}` is {' or '.join(sorted(dtypes))} depending on the branch; "
                              "lax.cond needs equal dtypes")
            ints = [isinstance(v, cst.Integer) for v in values]
            if any(ints) and not all(ints):
                raise Refusal(f"`{name}` is a Python int in one branch and may be a float array in another; "
                              "lax.cond needs equal dtypes")

    def _branch_names(self, count: int) -> list[str]:
        if count == 2:
            return [self._fresh_name("_true_branch"), self._fresh_name("_false_branch")]
        return [self._fresh_name(f"_branch_{i}") for i in range(count)]

    def _branch_function(self, name, block, operands, outputs, returns) -> cst.FunctionDef:
        params = cst.Parameters([cst.Param(cst.Name(p)) for p in operands])
        lines: list[cst.BaseStatement] = []
        if isinstance(block, cst.IndentedBlock):
            lines = list(block.body)
        elif isinstance(block, cst.SimpleStatementSuite):
            lines = [cst.SimpleStatementLine(list(block.body))]
        elif isinstance(block, cst.SimpleStatementLine):
            lines = [block.with_changes(leading_lines=[])]
        if not returns:
            value = cst.Name(outputs[0]) if len(outputs) == 1 else cst.Tuple(
                [cst.Element(cst.Name(n)) for n in outputs], lpar=[], rpar=[])
            lines.append(cst.SimpleStatementLine([cst.Return(value)]))
        lines = [line for line in lines if not (
            isinstance(line, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in line.body))]
        header = block.header if isinstance(block, cst.IndentedBlock) else cst.TrailingWhitespace()
        return cst.FunctionDef(cst.Name(name), params, cst.IndentedBlock(body=lines, header=header))

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
        func = cst.Attribute(cst.Name("checkify"), cst.Name("debug_check"))
        return cst.Call(func, [cst.Arg(predicate), cst.Arg(string_literal(message))])

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
                new = self._lax("cond", [
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
    found = False

    class Finder(cst.CSTVisitor):
        def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
            nonlocal found
            found = True

    test.visit(Finder())
    return found

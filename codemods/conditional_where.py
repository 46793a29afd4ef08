"""The ``jnp.where`` form of a conditional (JX401): when an ``if`` chain's arms assign the same
names (or return) elementwise values of one shape, the chain becomes one ``jnp.where`` per name,
in the double-where form where an arm is not differentiable on another's domain.

:class:`WhereForm` decides, on the original nodes, whether the form applies (raising
:class:`Refusal` with the reason when it does not) and builds it with
:mod:`jaxify.codemods.conditional_builders`. It is part of the conditionals codemod, whose facts
(``_qualified_name``, ``_original``, ``shapes``, ``_scope_facts``, ...) it reads.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider

from jaxify.analysis.expressions import at_update_base, code_of, domain_unsafe_operands
from jaxify.analysis.providers import Scopes
from jaxify.codemods.branches import Refusal, assigned_name, assigned_pairs, names_read, statement_reads
from jaxify.codemods.conditional_builders import arm_guard, double_where, nested_where


class WhereForm:
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
            where = nested_where(self._jnp, [link.test for link in links], sanitized)
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
        scope = self.get_metadata(Scopes, if_original.test, None)
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

    def _sanitize(self, value, links, index) -> cst.BaseExpression:
        """The double-where form of ``value``: unsafe-domain inputs replaced where not selected."""
        unsafe = [
            (operand, safe) for operand, safe in domain_unsafe_operands(value, self._qualified_name)
            if self.shapes.operands(operand) != frozenset()
        ]
        if not unsafe:
            return value
        guard, positive = arm_guard(self._jnp, [link.test for link in links], index)
        return double_where(self._jnp, value, unsafe, guard, positive)

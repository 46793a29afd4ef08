"""The ``lax.cond`` / ``lax.switch`` form of a conditional (JX402): an ``if`` chain whose arms are
pure and whose condition is a provable scalar becomes one function per arm and one call that runs
the selected one.

:class:`CondForm` decides, on the original nodes, whether the form applies (raising
:class:`Refusal` with the reason when it does not) and builds it with
:mod:`jaxify.codemods.conditional_builders`. It is part of the conditionals codemod, whose facts it
reads; its ``visit_Call`` / ``visit_Assign`` record the values scalar proofs follow.
"""

from __future__ import annotations

import libcst as cst

from jaxify.analysis.expressions import at_update_base, code_of, is_bool_valued, is_literal, is_scalar_reduction
from jaxify.analysis.providers import Scopes
from jaxify.codemods.branches import Refusal, assigned_name, binds_looser, statement_reads, target_names
from jaxify.codemods.conditional_builders import branch_function, cond_or_switch, names_value


# lax loops whose results keep the shapes of their initial carry, and the position of that carry
CARRY_LOOPS = {"jax.lax.fori_loop": 3, "jax.lax.while_loop": 2}


class CondForm:
    _inside_loops = 0  # loops around the node being left: their `if`s are the loop codemod's to mask

    def _is_scalar(self, node: cst.BaseExpression, depth: int = 0, assuming: frozenset[str] = frozenset()) -> bool:
        """Provably one element. A name is when every assignment to it gives one; while that is
        checked, the name itself counts as one (induction over the assignments in the order they
        run: the first one cannot read the name, a parameter or loop target is no assignment)."""
        if is_literal(node) or self._is_static(node):
            return True
        if isinstance(node, cst.Comparison):
            return self._is_scalar(node.left, depth, assuming) and all(
                self._is_scalar(c.comparator, depth, assuming) for c in node.comparisons
            )
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            return self._is_scalar(node.left, depth, assuming) and self._is_scalar(node.right, depth, assuming)
        if isinstance(node, cst.UnaryOperation):
            return self._is_scalar(node.expression, depth, assuming)
        if isinstance(node, cst.Call):
            if is_scalar_reduction(node, self._qualified_name):
                return True
            name = self._qualified_name(node.func)
            if name in ("jax.numpy.logical_and", "jax.numpy.logical_or", "jax.numpy.logical_not"):
                return all(self._is_scalar(arg.value, depth, assuming) for arg in node.args)
            return False
        if isinstance(node, cst.Subscript):
            return self._one_element(node)
        if isinstance(node, cst.Name) and node.value in assuming:
            return True
        original = self._original(node)
        if isinstance(original, cst.Name) and depth < 4:
            values = self._assignments(original)
            inner = assuming | {original.value}
            return bool(values) and all(v is not None and self._is_scalar(v, depth + 1, inner) for v in values)
        return False

    def _one_element(self, node: cst.Subscript) -> bool:
        """``x[i]`` with integer indices where the function's text proves ``x`` has one dimension per
        index (:mod:`jaxify.analysis.elements`). Not inside a loop: the loop codemod lowers a traced
        `if` there with one-element selects, which need no scalar condition, where `lax.cond` would
        carry the loop's arrays through both branches on every iteration."""
        original = self._original(node)
        function = self.analysis.function_of(original) if original is not None and not self._inside_loops else None
        facts = self.analysis.mutation.elements(function.node) if function is not None else None
        read = facts.read(original) if facts is not None else None
        return read is not None and facts.proven(read)

    def visit_For(self, node: cst.For) -> None:
        self._inside_loops += 1

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        self._inside_loops -= 1
        return updated_node

    def visit_While(self, node: cst.While) -> None:
        self._inside_loops += 1

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.While:
        self._inside_loops -= 1
        return updated_node

    def _assignments(self, name: cst.Name) -> list[cst.BaseExpression | None]:
        """The value of every assignment to ``name`` in its scope (None where it is not known)."""
        scope = self.get_metadata(Scopes, name, None)
        if scope is None:
            return []
        return [self._assigned_values.get(id(getattr(a, "node", None))) for a in scope.assignments[name.value]]

    def visit_Call(self, node: cst.Call) -> None:
        # `y.at[i].set(a if c else b)`: the update broadcasts either value into the same slot,
        # so `jnp.where` there needs no shape proof.
        if at_update_base(node) is not None and node.func.attr.value == "set" and len(node.args) == 1:
            self._update_values.add(id(node.args[0].value))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        position = CARRY_LOOPS.get(self._qualified_name(node.value.func)) if isinstance(node.value, cst.Call) else None
        if position is not None and len(node.value.args) > position and all(
                arg.keyword is None and not arg.star for arg in node.value.args[:position + 1]):
            # `a, b = lax.fori_loop(lo, hi, body, (a0, b0))`: each result has its initial value's shape
            init = node.value.args[position].value
            if isinstance(target, cst.Name):
                self._assigned_values[id(target)] = init
            elif isinstance(target, cst.Tuple) and isinstance(init, cst.Tuple) and len(init.elements) == len(target.elements):
                for element, start in zip(target.elements, init.elements):
                    if isinstance(element.value, cst.Name):
                        self._assigned_values[id(element.value)] = start.value
        elif isinstance(target, cst.Name):
            self._assigned_values[id(target)] = node.value

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
            branch_function(name, link.block, operands, outputs, returns)
            for name, link in zip(branch_names, links)
        ]
        predicate = self._predicate(tests[0]) if len(links) == 2 else tests[0]
        call = cond_or_switch(self._jnp, self._lax, predicate, tests, branch_names, operands)
        if returns:
            final = cst.Return(call)
        else:
            final = cst.Assign([cst.AssignTarget(names_value(outputs))], call)
        return [*functions, cst.SimpleStatementLine([final])], ""

    def _predicate(self, test: cst.BaseExpression) -> cst.BaseExpression:
        if is_bool_valued(test, self._qualified_name):
            return test
        return cst.Comparison(test, [cst.ComparisonTarget(cst.NotEqual(), cst.Integer("0"))])

    def _rebinding(self, statement: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression]] | None:
        """``total += v`` as ``[(total, total + v)]`` when it only rebinds a name: the analysis
        shows ``total`` holds a Python value. An augmented assignment that may write an array in
        place is not a rebinding (aliases and views see NumPy's write); the in-place codemod
        rewrites the ones it can prove, and what it left (refused, deselected, suppressed) stays."""
        if not (isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name)):
            return None
        original = self._original(statement)
        if original is None or self.analysis.writes_array_in_place(original):
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

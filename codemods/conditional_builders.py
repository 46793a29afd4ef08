"""The forms a conditional on array values becomes, as pure builders: given the tests of an
``if``/``elif``/``else`` chain (None for ``else``) and what each arm computes, they return the
expression or statements that replace it. Any codemod can call them on any statement list (a loop
body's ``if`` included); they decide nothing and report nothing.

``jnp`` and ``lax`` make calls: ``jnp("where", c, a, b)`` is ``jnp.where(c, a, b)`` spelled the
way the calling codemod imports jax.numpy (and remembered as a jax call for later analysis).
"""

from __future__ import annotations

from typing import Callable, Sequence

import libcst as cst

from jaxify.analysis.expressions import string_literal
from jaxify.codemods.branches import unparen

MakeCall = Callable[..., cst.Call]  # ("where", *args) -> jnp.where(*args)
Tests = Sequence["cst.BaseExpression | None"]


def nested_where(jnp: MakeCall, tests: Tests, values: Sequence[cst.BaseExpression]) -> cst.BaseExpression:
    """``jnp.where(t0, v0, jnp.where(t1, v1, v2))``: the value of the first arm whose test holds."""
    if len(values) == 1:
        return unparen(values[0])
    rest = nested_where(jnp, tests[1:], values[1:])
    return jnp("where", unparen(tests[0]), unparen(values[0]), rest)


def arm_guard(jnp: MakeCall, tests: Tests, index: int) -> tuple[cst.BaseExpression, bool]:
    """The condition under which arm ``index`` is selected, and whether it is used as is (True)
    or negated (False: the arm is selected where the condition is false)."""
    if index == 0:
        return tests[0], True
    if len(tests) == 2 and tests[1] is None:
        return tests[0], False
    previous = tests[0]
    for test in tests[1:index]:
        previous = jnp("logical_or", previous, test)
    if tests[index] is None:
        return previous, False
    return jnp("logical_and", jnp("logical_not", previous), tests[index]), True


def double_where(
    jnp: MakeCall,
    value: cst.BaseExpression,
    unsafe: Sequence[tuple[cst.BaseExpression, str]],
    guard: cst.BaseExpression,
    positive: bool,
) -> cst.BaseExpression:
    """``value`` with each operand of ``unsafe`` (a node of ``value`` and a value where the
    operation is finite, e.g. ``1`` for a log) replaced by ``jnp.where(guard, operand, safe)``:
    where the arm is not selected it computes on a harmless input, so its gradient stays finite."""
    replacements = {}
    for operand, safe in unsafe:
        stand_in = cst.Integer(safe)
        pair = (unparen(operand), stand_in) if positive else (stand_in, unparen(operand))
        replacements[id(operand)] = jnp("where", guard, *pair)

    class Replace(cst.CSTTransformer):
        def on_leave(self, original_node, updated_node):
            return replacements.get(id(original_node), updated_node)

    return value.visit(Replace())


def branch_function(
    name: str, block: cst.BaseSuite | cst.SimpleStatementLine, operands: Sequence[str], outputs: Sequence[str],
    returns: bool,
) -> cst.FunctionDef:
    """``def name(*operands): <block>; return outputs`` for one arm of ``lax.cond`` / ``lax.switch``
    (an arm that returns keeps its own ``return``)."""
    params = cst.Parameters([cst.Param(cst.Name(p)) for p in operands])
    lines: list[cst.BaseStatement] = []
    if isinstance(block, cst.IndentedBlock):
        lines = list(block.body)
    elif isinstance(block, cst.SimpleStatementSuite):
        lines = [cst.SimpleStatementLine(list(block.body))]
    elif isinstance(block, cst.SimpleStatementLine):
        lines = [block.with_changes(leading_lines=[])]
    if not returns:
        lines.append(cst.SimpleStatementLine([cst.Return(names_value(outputs))]))
    lines = [line for line in lines if not (
        isinstance(line, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in line.body))]
    header = block.header if isinstance(block, cst.IndentedBlock) else cst.TrailingWhitespace()
    return cst.FunctionDef(cst.Name(name), params, cst.IndentedBlock(body=lines, header=header))


def cond_or_switch(
    jnp: MakeCall, lax: MakeCall, predicate: cst.BaseExpression, tests: Sequence[cst.BaseExpression],
    branches: Sequence[str], operands: Sequence[str],
) -> cst.Call:
    """``lax.cond(predicate, true_fn, false_fn, *operands)`` for two arms; for more,
    ``lax.switch(jnp.select(tests, [0, 1, ...], n), (fn_0, ..., fn_n), *operands)``."""
    callables = [cst.Name(name) for name in branches]
    operand_args = [cst.Name(name) for name in operands]
    if len(callables) == 2:
        return lax("cond", predicate, *callables, *operand_args)
    index = jnp(
        "select",
        cst.List([cst.Element(t) for t in tests]),
        cst.List([cst.Element(cst.Integer(str(i))) for i in range(len(tests))]),
        cst.Integer(str(len(tests))),
    )
    return lax("switch", index, cst.Tuple([cst.Element(c) for c in callables]), *operand_args)


def names_value(names: Sequence[str]) -> cst.BaseExpression:
    """``a`` for one name, the bare tuple ``a, b`` for several."""
    if len(names) == 1:
        return cst.Name(names[0])
    return cst.Tuple([cst.Element(cst.Name(n)) for n in names], lpar=[], rpar=[])


def debug_check(predicate: cst.BaseExpression, message: str) -> cst.Call:
    """``checkify.debug_check(predicate, "message")``: raises under ``checkify.checkify`` when the
    predicate is false (the caller imports ``checkify``)."""
    func = cst.Attribute(cst.Name("checkify"), cst.Name("debug_check"))
    return cst.Call(func, [cst.Arg(predicate), cst.Arg(string_literal(message))])

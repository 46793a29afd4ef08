"""Code generation for the loop codemod: the local body function and the call of the JAX loop
primitive that replaces a Python loop.

Each builder takes the loop's (already rewritten) body statements and returns the statements that
take the loop's place: ``def _body(...)`` next to the loop's old place, then one assignment that
rebinds the carried names. Body statements keep their comments; the loop's own leading comments
move onto the generated function.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import libcst as cst

from jaxify.analysis.expressions import code_of


code = code_of  # the one node-to-source helper, under the short name the builders use


@dataclasses.dataclass(frozen=True)
class Carry:
    """How the carried names travel through a body function: one name as itself, several as a tuple."""

    names: tuple[str, ...]
    tuple_name: str = "carry"  # the body function's parameter when several names travel together

    @property
    def param(self) -> str:
        return self.names[0] if len(self.names) == 1 else self.tuple_name

    @property
    def value(self) -> str:
        """The carry as an expression and as an assignment target (``a`` or ``(a, b)``)."""
        if not self.names:
            return "None"
        return self.names[0] if len(self.names) == 1 else f"({', '.join(self.names)})"

    @property
    def target(self) -> str:
        """The carry on its own as an assignment target or return value: ``a, b`` without parentheses."""
        if not self.names:
            return "_"
        return ", ".join(self.names)

    def unpack(self) -> list[cst.BaseStatement]:
        if len(self.names) > 1:
            return [cst.parse_statement(f"{', '.join(self.names)} = {self.tuple_name}\n")]
        return []


def function(
    name: str, params: Sequence[str], body: Sequence[cst.BaseStatement], header: cst.TrailingWhitespace | None = None
) -> cst.FunctionDef:
    skeleton = cst.parse_statement(f"def {name}({', '.join(params)}):\n    pass\n")
    assert isinstance(skeleton, cst.FunctionDef)
    block = skeleton.body.with_changes(body=list(body))
    if header is not None:
        block = block.with_changes(header=header)
    return skeleton.with_changes(body=block)


def statement(text: str) -> cst.BaseStatement:
    return cst.parse_statement(text + "\n")


def place(loop: cst.For | cst.While, statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Give the first generated statement the loop's leading blank lines and comments."""
    first = statements[0].with_changes(leading_lines=loop.leading_lines)
    return [first, *statements[1:]]


def without_blank_lines(node: cst.BaseStatement) -> cst.BaseStatement:
    return node.with_changes(leading_lines=[line for line in node.leading_lines if line.comment is not None])


def _leading_body(body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The original body with blank lines before its first statement dropped (comments kept)."""
    if not body:
        return []
    first = body[0]
    lines = [line for line in getattr(first, "leading_lines", ()) if line.comment is not None]
    return [first.with_changes(leading_lines=lines), *body[1:]]


def fori_loop(
    loop: cst.For, body_name: str, index: str, start: str, stop: str, carry: Carry, body: Sequence[cst.BaseStatement]
) -> list[cst.BaseStatement]:
    """``def _body(i, carry): ...; return carry`` then ``carry = lax.fori_loop(start, stop, _body, carry)``."""
    statements = [*carry.unpack(), *_leading_body(body), statement(f"return {carry.target}")]
    definition = function(body_name, [index, carry.param], statements, loop.body.header)
    call = statement(f"{carry.target} = lax.fori_loop({start}, {stop}, {body_name}, {carry.value})")
    return [definition, call]


def scan(
    loop: cst.For,
    step_name: str,
    item_param: str,
    item_unpack: str | None,
    xs: str,
    carry: Carry,
    body: Sequence[cst.BaseStatement],
    ys: tuple[str, str] | None,
    comments: Sequence[cst.EmptyLine] = (),
) -> list[cst.BaseStatement]:
    """``def _step(carry, x): ...; return carry, y`` then ``carry, ys = lax.scan(_step, carry, xs)``.

    ``ys`` is (name, expression) of the stacked per-iteration output, or None. ``xs`` is the text of
    the scanned argument (``A``, ``(A, B)``, ``length=n``).
    """
    unpack = [statement(f"{item_unpack} = {item_param}")] if item_unpack else []
    carry_param = carry.param if carry.names else carry.tuple_name
    returned = f"{carry.value if carry.names else carry_param}, {ys[1] if ys else 'None'}"
    last = statement(f"return {returned}").with_changes(leading_lines=[c for c in comments if c.comment])
    statements = [*carry.unpack(), *unpack, *_leading_body(body), last]
    definition = function(step_name, [carry_param, item_param], statements, loop.body.header)
    outputs = f"{carry.value if carry.names else '_'}, {ys[0] if ys else '_'}"
    call = statement(f"{outputs} = lax.scan({step_name}, {carry.value}, {xs})")
    return [definition, call]


def while_loop(
    loop: cst.For | cst.While,
    cond_name: str,
    body_name: str,
    test: str,
    carry: Carry,
    body: Sequence[cst.BaseStatement],
    init: str | None = None,
) -> list[cst.BaseStatement]:
    """``def _cond(carry): return test``, ``def _body(carry): ...`` and ``carry = lax.while_loop(...)``
    (``init``: the initial carry, when it is not the carried names' values before the loop)."""
    condition = function(cond_name, [carry.param], [*carry.unpack(), statement(f"return {test}")])
    statements = [*carry.unpack(), *_leading_body(body), statement(f"return {carry.target}")]
    definition = function(body_name, [carry.param], statements, loop.body.header)
    call = statement(f"{carry.target} = lax.while_loop({cond_name}, {body_name}, {init or carry.value})")
    return [condition, definition, call]


def vmap(
    loop: cst.For,
    function_name: str,
    index: str,
    indices: str,
    where: str,
    output: str,
    method: str,
    value: str,
    body: Sequence[cst.BaseStatement],
    comments: Sequence[cst.EmptyLine] = (),
) -> list[cst.BaseStatement]:
    """``def _row(i): ...; return v`` then ``out = out.at[where].method(jax.vmap(_row)(indices))``,
    ``where`` being the loop's index expression with the loop index replaced by ``indices``;
    ``comments``: those above the write, kept above the ``return``."""
    returned = statement(f"return {value}").with_changes(leading_lines=[c for c in comments if c.comment])
    statements = [*_leading_body(body), returned]
    definition = function(function_name, [index], statements, loop.body.header)
    call = statement(f"{output} = {output}.at[{where}].{method}(jax.vmap({function_name})({indices}))")
    return [definition, call]


def counted_while_with_flag(
    loop: cst.For,
    cond_name: str,
    body_name: str,
    carry_of: Callable[[list[str]], Carry],
    index: str,
    start: str,
    stop: str,
    carried: Sequence[str],
    flag: str,
    body: Sequence[cst.BaseStatement],
) -> list[cst.BaseStatement]:
    """The one "while loop with a done flag": ``for index in range(start, stop)`` whose ``body``
    sets ``flag`` where the loop is to stop (after the iteration), as one ``lax.while_loop`` that
    carries ``index``, ``carried`` and ``flag``: each iteration counts ``index`` up and runs
    ``body``; the loop runs while the flag is unset and the range lasts. ``index`` starts one
    before ``start`` so the first iteration counts it to ``start``, and after the loop it holds the
    last iteration's value, as Python's loop variable does."""
    first = str(int(start) - 1) if start.lstrip("-").isdigit() else f"{start} - 1"
    names = [index, *carried, flag]
    cond = f"jnp.logical_and(jnp.logical_not({flag}), {index} + 1 < {stop})"
    init = ", ".join(first if n == index else "False" if n == flag else n for n in names)
    counted = [statement(f"{index} = {index} + 1"), *body]
    return while_loop(loop, cond_name, body_name, cond, carry_of(names), counted, init=f"({init})")

"""Loop-invariant conversions out of loop bodies: a host array that a rewritten loop indexes by what
the loop varies is converted once, before the loop, instead of on every read of every iteration.

Inside a JAX loop the index is traced, and a NumPy array (what legacy callers pass) cannot be
indexed by a tracer, so such reads go through ``jnp.asarray``. Written inline
(``jnp.asarray(x)[i]``) the conversion sits in every iteration and every read; here the loop gets
one ``x_jax = jnp.asarray(x)`` before it and reads ``x_jax[i]``. A fresh name, not ``x = ...``:
rebinding ``x`` would change what later code computes when ``x`` is a list (``x + x``).

The view is hoisted only when nothing in the function assigns ``x`` from the top-level statement
that holds the loop onwards (a parameter, a global, or a name set once before the loop), so that
moving the conversion out of an enclosing loop never reads a stale ``x``; otherwise the read stays
``jnp.asarray(x)[i]``. An enclosing loop that is rewritten too moves the conversion further out
(it is one of the conversions its inner loop hoisted).

A conversion hoisted before a loop is dropped again (``tidy_block``) when an earlier statement of
the same block already bound the name to a jax array (``x = x.at[i].set(v)``, a rewritten loop's
results): two loops in a row over the same array then convert it once, not once per loop.
"""

from __future__ import annotations

from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.loop_flow import block_flow
from jaxify.analysis.loops import at_update
from jaxify.codemods import loop_builders as build
from jaxify.codemods.conversion_tidy import converted_name
from jaxify.codemods.loop_syntax import inside


class HostViews:
    """The one ``jnp.asarray`` view per host array and function, shared by the function's loops."""

    def __init__(self, fresh: Callable[[str], str]):
        self._fresh = fresh
        self._names: dict[tuple[int, str], str] = {}  # (id of the function, array name) -> view name

    def names(self) -> set[str]:
        """Every view name made so far (already jax arrays: never wrapped again)."""
        return set(self._names.values())

    def view_of(self, function: cst.FunctionDef, loop: cst.CSTNode) -> Callable[[str], str | None]:
        """For ``loop`` of ``function``: array name -> the name of its hoisted view, or None when
        the conversion cannot move before the loop (the name is assigned from there on)."""
        top = list(function.body.body)
        holder = next((k for k, statement in enumerate(top) if statement is loop or inside(loop, statement)), 0)
        assigned = block_flow(top[holder:]).written

        def view(name: str) -> str | None:
            if name in assigned:
                return None
            key = (id(function), name)
            if key not in self._names:
                self._names[key] = self._fresh(f"{name}_jax")
            return self._names[key]

        return view


def conversions(views: dict[str, str], inherited: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """``view = jnp.asarray(name)`` for each used view (``views``: name -> view) that an inner loop
    has not already hoisted (``inherited``)."""
    present = {statement.body[0].targets[0].target.value for statement in inherited
               if m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())])]))}
    return [build.statement(f"{view} = jnp.asarray({name})") for name, view in views.items() if view not in present]


class CarriedConversions(cst.CSTTransformer):
    """Inside the body functions of a rewritten loop, the names it carries are traced jax values:
    an inner loop's ``jnp.asarray(x)[j]`` becomes ``x[j]``, and its ``x = jnp.asarray(x)`` (left
    in the body when it sat under an ``if``) goes."""

    def __init__(self, carried: set[str]):
        self.carried = carried
        self.depth = 0  # inside how many function definitions

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        name = self._converted(updated_node.value)
        return updated_node.with_changes(value=cst.Name(name)) if name and self.depth else updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        if not self.depth:
            return updated_node
        kept: list[cst.BaseStatement] = []
        comments: list[cst.EmptyLine] = []  # a dropped conversion's comments go to the next statement
        for statement in updated_node.body:
            if self._is_conversion(statement):
                comments += [line for line in statement.leading_lines if line.comment is not None]
                continue
            if comments:
                statement = statement.with_changes(leading_lines=[*comments, *statement.leading_lines])
                comments = []
            kept.append(statement)
        if not kept:
            kept = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=comments)]
        return updated_node.with_changes(body=kept)

    def _is_conversion(self, statement: cst.BaseStatement) -> bool:
        """``x = jnp.asarray(x)`` with ``x`` carried."""
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign) and len(statement.body[0].targets) == 1):
            return False
        assign = statement.body[0]
        return isinstance(assign.targets[0].target, cst.Name) and self._converted(assign.value) == assign.targets[0].target.value

    def _converted(self, node: cst.BaseExpression) -> str | None:
        """``jnp.asarray(x)`` with ``x`` carried -> ``x``."""
        if m.matches(node, m.Call(func=m.Attribute(value=m.Name("jnp"), attr=m.Name("asarray")),
                                  args=[m.Arg(m.Name(), keyword=None, star="")])):
            name = node.args[0].value.value
            return name if name in self.carried else None
        return None


def tidy_block(body: Sequence[cst.BaseStatement], dropped: set[cst.CSTNode],
               hoisted: dict[cst.CSTNode, list[cst.BaseStatement]]) -> list[cst.BaseStatement] | None:
    """``body`` without the statements in ``dropped`` and without the conversions this pass hoisted
    (``hoisted``: loop -> the conversions placed before it) that convert a name an earlier statement
    of the block already made a jax array: a second loop over an array that the first one wrote
    would otherwise convert it again (``x = jnp.asarray(x)`` twice). None when nothing goes."""
    ours = {id(statement) for placed in hoisted.values() for statement in placed}
    kept: list[cst.BaseStatement] = []
    jax_names: set[str] = set()  # bound to a jax array by the last statement that wrote them
    for statement in body:
        if statement in dropped:
            continue
        if id(statement) in ours and converted_name(statement) in jax_names:
            continue
        jax_names -= block_flow([statement]).written
        jax_names |= _jax_results(statement)
        kept.append(statement)
    return kept if len(kept) != len(body) else None


def _jax_results(statement: cst.BaseStatement) -> set[str]:
    """Names a plain statement surely binds to a jax array: ``x = jnp.asarray(...)``,
    ``x = x.at[i].set(v)`` and the results of ``lax.fori_loop`` / ``while_loop`` / ``scan``."""
    if not m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget()])])):
        return set()
    assign = statement.body[0]
    target, value = assign.targets[0].target, assign.value
    if isinstance(target, cst.Name):
        update = at_update(value)
        array = m.Call(func=m.Attribute(value=m.Name("jnp"), attr=m.Name("asarray")))
        jax_array = update is not None and update[0] == target.value or m.matches(value, array | _LAX_LOOP)
        return {target.value} if jax_array else set()
    if isinstance(target, cst.Tuple) and m.matches(value, _LAX_LOOP):
        return {element.value.value for element in target.elements if isinstance(element.value, cst.Name)}
    return set()


_LAX_LOOP = m.Call(func=m.Attribute(value=m.Name("lax"), attr=m.OneOf(m.Name("fori_loop"), m.Name("while_loop"), m.Name("scan"))))


def moving_out(body: Sequence[cst.BaseStatement], hoisted: dict[cst.CSTNode, list[cst.BaseStatement]]):
    """Per statement of a loop's ``body``, the conversions an inner loop there hoisted (``hoisted``)
    that move on before this loop: not those of an array an earlier statement of the body binds
    (``new = u.copy()`` then an inner loop writing ``new``): before the loop it may not exist yet."""
    moving: dict[cst.CSTNode, list[cst.BaseStatement]] = {}
    bound: set[str] = set()
    for statement in body:
        moving[statement] = [conversion for conversion in hoisted.get(statement, [])
                             if _converted_source(conversion) not in bound]
        bound |= block_flow([statement]).written
    return moving


def _converted_source(conversion: cst.BaseStatement) -> str | None:
    """``x`` for ``x = jnp.asarray(x)`` and ``x_jax = jnp.asarray(x)``."""
    if m.matches(conversion, m.SimpleStatementLine(body=[m.Assign(value=m.Call(args=[m.Arg(m.Name())]))])):
        return conversion.body[0].value.args[0].value.value
    return None

"""`lax.cond` for a costly `if` inside a converted loop body, where masks would run both sides.

The loop's masked lowering (codemods/loop_masks.py) evaluates both sides of every `if` on every
iteration and keeps one with `jnp.where`: cheap for arithmetic, wasteful when a side holds work
that dominates the iteration. The rule: an `if` whose branches hold a **costly call** becomes one
`lax.cond`, so only the branch taken runs. Costly means a call whose cost grows faster than its
operands' size, or a loop:

- matrix products: the `@` operator, `jnp.dot`, `matmul`, `einsum`, `tensordot`, `inner`, `outer`;
- `jnp.linalg.*`, `jnp.fft.*`, `jax.scipy.*`; `jnp.sort`, `argsort`, `convolve`, `correlate`;
- a JAX loop (an inner loop already converted: `lax.fori_loop`, `while_loop`, `scan`, `jax.vmap`).

Anything else (arithmetic, elementwise functions, reductions, calls of the module's helpers,
whose cost is not known here) keeps the masks: a select is cheaper than a branch there.

The `if` must also have a form `lax.cond` can hold exactly: it runs unmasked (not under another
traced condition, not after a `continue`: then the taken side could be a side Python skips), its
sides hold only assignments to names (no nested `if`, no jump), and every name a side assigns
either has a value before the `if` or is assigned by every side (both functions must return it).
Otherwise the masks stay. The test goes through ``jnp.reshape(test, ())``: a one-element test
works as Python's `if` does, a larger one raises when traced where Python raised when run.
"""

from __future__ import annotations

from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_flow import target_names
from jaxify.codemods.conditional_builders import branch_function, names_value

COSTLY_CALLS = frozenset(
    f"jax.numpy.{name}" for name in "dot matmul einsum tensordot inner outer sort argsort convolve correlate".split()
) | frozenset({"jax.lax.fori_loop", "jax.lax.while_loop", "jax.lax.scan", "jax.vmap"})
COSTLY_PREFIXES = ("jax.numpy.linalg.", "jax.numpy.fft.", "jax.scipy.")
# the names jaxify writes, for code written in this same pass (its names do not resolve yet)
WRITTEN_ALIASES = {"jnp": "jax.numpy", "lax": "jax.lax"}


def costly(statements: Sequence[cst.CSTNode], resolve: Callable[[cst.CSTNode], str | None]) -> bool:
    """Whether ``statements`` hold a call whose cost dominates a select (see the module docstring)."""
    for statement in statements:
        if m.findall(statement, m.BinaryOperation(operator=m.MatrixMultiply())):
            return True
        for call in m.findall(statement, m.Call()):
            name = resolve(call.func) or _as_written(code_of(call.func))
            if name in COSTLY_CALLS or name.startswith(COSTLY_PREFIXES):
                return True
    return False


def _as_written(dotted: str) -> str:
    head, _, rest = dotted.partition(".")
    return f"{WRITTEN_ALIASES[head]}.{rest}" if head in WRITTEN_ALIASES and rest else dotted


def cond_lines(node: cst.If, defined: set[str], fresh: Callable[[str], str], test: str) -> list[cst.BaseStatement] | None:
    """``def _true_branch(...)``, ``def _false_branch(...)`` and one ``lax.cond`` call for ``node``,
    or None when its sides do not have the form ``lax.cond`` can hold (see the module docstring)."""
    if isinstance(node.orelse, cst.If):
        return None  # an `elif` chain: the masks keep its order of tests
    sides = [node.body, node.orelse.body if node.orelse is not None else None]
    assigned = [_assigned_names(side) if side is not None else set() for side in sides]
    if any(names is None for names in assigned):
        return None
    outputs = sorted(set().union(*assigned))
    if not outputs or any(name not in defined and not all(name in names for names in assigned) for name in outputs):
        return None
    operands = [name for name in outputs if name in defined]
    true_name, false_name = fresh("_true_branch"), fresh("_false_branch")
    empty = cst.IndentedBlock(body=[cst.SimpleStatementLine([cst.Pass()])])
    functions = [
        branch_function(name, side if side is not None else empty, operands, outputs, returns=False)
        for name, side in ((true_name, sides[0]), (false_name, sides[1]))
    ]
    call = f"lax.cond(jnp.reshape({test}, ()), {true_name}, {false_name}{''.join(', ' + o for o in operands)})"
    result = cst.parse_statement(f"{code_of(names_value(outputs))} = {call}\n")
    return [*functions, result.with_changes(leading_lines=node.leading_lines)]


def _assigned_names(block: cst.BaseSuite) -> set[str] | None:
    """The names a side assigns, or None when it holds anything but assignments to names."""
    names: set[str] = set()
    for line in block.body:
        if not isinstance(line, cst.SimpleStatementLine):
            return None
        for small in line.body:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                names.add(small.target.value)
            elif isinstance(small, cst.Assign) and all(
                isinstance(t.target, (cst.Name, cst.Tuple)) and target_names(t.target) for t in small.targets
            ):
                names |= {n for t in small.targets for n in target_names(t.target)}
            else:
                return None
    return names

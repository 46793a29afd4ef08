"""Per-iteration keys for draws in `for i in range(...)` loops: the key stops travelling through
the loop.

The randomness planner gives every statement that draws a split in front of it
(``key, sub = jax.random.split(key)``). In a loop body that split makes ``key`` a carried value:
every iteration depends on the one before, so the loops codemod can only lower the loop
sequentially (`fori_loop` / `scan`), even when the iterations are otherwise independent. Where the
split is the loop's only use of the key, the key is split once before the loop
(``key, loop_key = jax.random.split(key)``) and each iteration derives its own subkey from its
index: ``sub = jax.random.fold_in(loop_key, i)``. Keys folded with distinct indices are
independent, so every draw keeps its distribution (the numbers change, as with every JX2
rewrite); the loop carries no key, and independent iterations become one ``jax.vmap``.

The loop must be ``for i in range(...)`` with ``i`` never reassigned in its body (distinct indices,
distinct keys), and the splitting statement must sit directly in its body (it runs once per
iteration).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst

from jaxify.analysis.loop_flow import block_flow


@dataclasses.dataclass(frozen=True)
class LoopKey:
    """The split in front of ``statement`` draws from ``loop_key`` folded with the loop's ``index``."""

    key_var: str
    loop_key: str
    index: str


def per_iteration_keys(
    splits: dict[cst.CSTNode, list[tuple[str, list[str]]]],
    parents: dict[cst.CSTNode, cst.CSTNode],
    resolve: Callable[[cst.CSTNode], str | None],
    free_name: Callable[[str, cst.CSTNode, set[str]], str],
) -> tuple[dict[cst.CSTNode, LoopKey], dict[cst.For, list[LoopKey]]]:
    """(statement -> its LoopKey, loop -> the keys split off before it), for every statement of
    ``splits`` (statement -> [(key variable, subkeys)]) that qualifies (see the module docstring).
    ``free_name(base, statement, taken)`` is a name unused near ``statement``."""
    by_loop: dict[cst.For, list[cst.CSTNode]] = {}
    for statement in splits:
        for ancestor in _ancestors(statement, parents):
            if isinstance(ancestor, cst.For):
                by_loop.setdefault(ancestor, []).append(statement)
    keyed: dict[cst.CSTNode, LoopKey] = {}
    before: dict[cst.For, list[LoopKey]] = {}
    for loop, statements in by_loop.items():
        index = _range_index(loop, resolve)
        if index is None or index in block_flow(list(loop.body.body)).written:
            continue
        key_uses: dict[str, list[cst.CSTNode]] = {}
        for statement in statements:
            for key_var, _ in splits[statement]:
                key_uses.setdefault(key_var, []).append(statement)
        for statement in statements:
            if statement in keyed or len(splits[statement]) != 1 or parents.get(statement) is not loop.body:
                continue
            key_var, subkeys = splits[statement][0]
            if not key_var.isidentifier() or len(key_uses[key_var]) != 1 or _reads(loop, key_var, statement):
                continue
            loop_key = free_name(f"{key_var}_per_{index}", statement, set(subkeys))
            keyed[statement] = LoopKey(key_var, loop_key, index)
            before.setdefault(loop, []).append(keyed[statement])
    return keyed, before


def split_statements(loop_key: LoopKey, subkeys: list[str]) -> str:
    """The statement that gives one iteration its subkeys."""
    folded = f"jax.random.fold_in({loop_key.loop_key}, {loop_key.index})"
    if len(subkeys) == 1:
        return f"{subkeys[0]} = {folded}"
    count = "" if len(subkeys) == 2 else f", {len(subkeys)}"
    return f"{', '.join(subkeys)} = jax.random.split({folded}{count})"


def _ancestors(node: cst.CSTNode, parents: dict[cst.CSTNode, cst.CSTNode]):
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef):
        yield parent
        parent = parents.get(parent)


def _range_index(loop: cst.For, resolve) -> str | None:
    """``i`` of ``for i in range(...)``; None for any other loop."""
    if not (isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Call)):
        return None
    return loop.target.value if resolve(loop.iter.func) == "builtins.range" else None


def _reads(loop: cst.For, name: str, except_in: cst.CSTNode) -> bool:
    """Whether the loop mentions ``name`` outside ``except_in`` (the user's own use of the key)."""
    found = False

    class Names(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            return node is not except_in and super().on_visit(node)

        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            found = found or node.value == name

    loop.visit(Names())
    return found

"""Draws in `for i in range(...)` loops: the key stops travelling through the loop, and a draw that
does not depend on what the loop computes is made once for all iterations before it.

The randomness planner gives every statement that draws a split in front of it
(``key, sub = jax.random.split(key)``). In a loop body that split makes ``key`` a carried value:
every iteration depends on the one before, so the loops codemod can only lower the loop
sequentially (`fori_loop` / `scan`) and each step draws its numbers one by one. Where the loop's
only uses of a key are statements directly in its body that draw, the key is split once before the
loop and the loop no longer carries it:

- Batched draws. A draw whose arguments read only the loop index and names the loop does not
  change (no rebinding, no in-place write, no call that may have side effects), and whose size
  does not depend on the index, gets a loop key of its own and is made for every iteration at
  once: ``normal_draws = jax.vmap(lambda i: jax.random.normal(jax.random.fold_in(normal_key, i),
  ()))(jnp.arange(start, stop, step))``, read in the loop as ``normal_draws[(i - start) // step]``.
  Iteration ``i`` gets exactly the draw the per-iteration form below would give it, and the
  vectorised draw costs about what one batched ``jax.random.normal(key, (n,))`` does. A draw the
  original evaluates only on some paths (``a or np.random.uniform() < p``, after a ``continue``) is
  made for every iteration: draws are independent, so every outcome keeps its distribution.
- Per-iteration keys. The other draws (and calls that pass a key on) of the loop take subkeys
  derived from one more loop key at the top of each iteration, before any ``break`` or
  ``continue``: ``sub1, sub2 = jax.random.split(jax.random.fold_in(key_per_i, i))``. Keys folded
  with distinct indices are independent, so every draw keeps its distribution (the numbers
  change, as with every JX2 rewrite); otherwise independent iterations become one ``jax.vmap``.

The loop must be ``for i in range(...)`` with ``i`` never reassigned in its body (distinct indices,
distinct keys), and each drawing statement must sit directly in its body (it runs at most once per
iteration). A loop that can stop early (``break``, ``return``) keeps every draw per iteration: how
many iterations run is not known before it, and drawing for all of them could cost more than the
loop.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterable

import libcst as cst

from jaxify.analysis.effects import SIDE_EFFECTS, Effect, calls_in
from jaxify.analysis.loop_flow import block_flow, reads_of
from jaxify.analysis.tree import visit
from jaxify.codemods.random_calls import is_atom, sampler_for, source

if TYPE_CHECKING:
    from jaxify.analysis.randomness import Draw
    from jaxify.codemods.random_threading import Planner


# Effects of a call in the loop that may change what a draw reads (a draw's own effect does not).
_MAY_CHANGE = SIDE_EFFECTS - {Effect.GLOBAL_RANDOM}


@dataclasses.dataclass(frozen=True)
class LoopKey:
    """Each iteration's subkeys come from ``loop_key`` folded with the loop's ``index``."""

    loop_key: str
    index: str


@dataclasses.dataclass(frozen=True)
class BatchedDraw:
    """A draw made for every iteration before the loop into ``array``, read as ``array[position]``."""

    loop_key: str
    index: str
    array: str
    indices: str  # ``jnp.arange(...)`` over the loop's indices
    position: str  # where iteration ``index`` finds its draw in ``array``


@dataclasses.dataclass
class LoopDraws:
    # loop -> [(its loop key, the subkeys every iteration derives from it at the top of its body)]
    iteration_keys: dict[cst.For, list[tuple[LoopKey, list[str]]]] = dataclasses.field(default_factory=dict)
    batched: dict[cst.Call, BatchedDraw] = dataclasses.field(default_factory=dict)
    # loop -> [(key variable, the loop keys split off it before the loop)]
    keys_before: dict[cst.For, list[tuple[str, list[str]]]] = dataclasses.field(default_factory=dict)
    batches_before: dict[cst.For, list[cst.Call]] = dataclasses.field(default_factory=dict)  # source order
    notes: dict[cst.Call, str] = dataclasses.field(default_factory=dict)  # draw -> clause for its finding


def plan_loop_draws(planner: Planner) -> LoopDraws:
    """Loop keys and batched draws for every loop of the planner's splits that qualifies (see the
    module docstring). The statements of such a loop leave ``planner.plan.splits`` (their keys come
    from the loop's), and their subkeys are renamed apart (``planner.plan.draws`` / ``calls``)."""
    return _LoopDrawPlanner(planner).run()


def split_statements(loop_key: LoopKey, subkeys: list[str]) -> str:
    """The statement that gives one iteration its subkeys."""
    folded = f"jax.random.fold_in({loop_key.loop_key}, {loop_key.index})"
    if len(subkeys) == 1:
        return f"{subkeys[0]} = {folded}"
    count = "" if len(subkeys) == 2 else f", {len(subkeys)}"
    return f"{', '.join(subkeys)} = jax.random.split({folded}{count})"


def keys_split_before(key_var: str, loop_keys: list[str]) -> str:
    count = "" if len(loop_keys) == 1 else f", {len(loop_keys) + 1}"
    return f"{key_var}, {', '.join(loop_keys)} = jax.random.split({key_var}{count})"


def batch_statement(batched: BatchedDraw, draw: str) -> str:
    """``draw``: the JAX draw of one iteration, with the key ``fold_key(batched)``."""
    return f"{batched.array} = jax.vmap(lambda {batched.index}: {draw})({batched.indices})"


def fold_key(batched: BatchedDraw) -> str:
    return f"jax.random.fold_in({batched.loop_key}, {batched.index})"


class _LoopDrawPlanner:
    def __init__(self, planner: Planner):
        self.planner = planner
        self.plan = planner.plan
        self.parents = planner.codemod.parents
        self.analysis = planner.codemod.analysis
        self.result = LoopDraws()
        # function -> the names this plan gave out there, kept from every later fresh name
        self.claimed: dict[cst.CSTNode | None, set[str]] = {}
        self.keyed: dict[cst.CSTNode, str] = {}  # statement -> the key variable its loop's keys come from
        self.draws_of: dict[cst.CSTNode, list[cst.Call]] = {}  # statement -> its rewritten draws
        for call, (draw, _) in self.plan.draws.items():
            self.draws_of.setdefault(draw.place.statement, []).append(call)

    def run(self) -> LoopDraws:
        by_loop: dict[cst.For, list[cst.CSTNode]] = {}
        for statement in self.plan.splits:
            for ancestor in _ancestors(statement, self.parents):
                if isinstance(ancestor, cst.For):
                    by_loop.setdefault(ancestor, []).append(statement)
        for loop, statements in by_loop.items():
            index = _range_index(loop, self.analysis.qualified_name)
            if index is None or index in block_flow(list(loop.body.body)).written:
                continue
            users: dict[str, list[cst.CSTNode]] = {}
            for statement in statements:
                # a statement an inner loop keyed still uses its key there: it keeps this loop's carry
                for key_var, _ in self.plan.splits.get(statement) or [(self.keyed[statement], [])]:
                    users.setdefault(key_var, []).append(statement)
            for key_var, using in users.items():
                if self._keys_leave_loop(loop, key_var, using):
                    self._plan_key(loop, index, key_var, using)
        return self.result

    def _keys_leave_loop(self, loop: cst.For, key_var: str, using: list[cst.CSTNode]) -> bool:
        """Every use of ``key_var`` in the loop is a drawing statement directly in its body that
        splits no other key, and no statement was given a loop key already (by an inner loop)."""
        return key_var.isidentifier() and not _mentions(loop, key_var, set(using)) and all(
            self.parents.get(s) is loop.body and len(self.plan.splits[s]) == 1 and s not in self.keyed
            for s in using
        )

    def _plan_key(self, loop: cst.For, index: str, key_var: str, using: list[cst.CSTNode]) -> None:
        why_not = self._why_not_batched(loop, index)
        skipped = _skipped_by(loop, using)
        using = sorted(using, key=self.planner.codemod.position)
        loop_keys = []  # one per batched draw, and one for the draws made per iteration
        for statement in using:
            for call in self.draws_of.get(statement, []):
                reason = why_not(call)
                if reason:
                    self.result.notes[call] = f"; drawn in each iteration: {reason}"
                    continue
                sometimes = skipped.get(statement) or _evaluated_sometimes(call, statement, self.parents)
                loop_keys.append(self._batch(loop, index, call, sometimes))
        per_iteration = [s for s in using if self.plan.splits[s][0][1]]  # call sites, draws not batched
        if per_iteration:
            loop_key = self.planner.free_name(f"{key_var}_per_{index}", self._taken(using[0]))
            self._claim(using[0], loop_key)
            subkeys = self._rename_subkeys(per_iteration)
            self.result.iteration_keys.setdefault(loop, []).append((LoopKey(loop_key, index), subkeys))
            loop_keys.insert(0, loop_key)
        for statement in using:
            del self.plan.splits[statement]  # its keys come from the loop's keys, split before it
            self.keyed[statement] = key_var
        self.result.keys_before.setdefault(loop, []).append((key_var, loop_keys))

    def _rename_subkeys(self, statements: list[cst.CSTNode]) -> list[str]:
        """One name per subkey the statements use, distinct across them: they are all derived at the
        top of the iteration (before any ``break`` or ``continue``), so none rebinds another's."""
        consumers = [(call, statement) for call, statement, _, _ in self.planner.consumers
                     if statement in statements and call not in self.result.batched]
        consumers.sort(key=lambda c: (statements.index(c[1]), self.planner.codemod.position(c[0])))
        old = {call: self._subkeys_of(call) for call, _ in consumers}
        taken = self._taken(statements[0])
        names = iter(self.planner.subkey_names(sum(len(keys) for keys in old.values()), taken))
        given = []
        for call, _ in consumers:
            new = [next(names) for _ in old[call]]
            given += new
            if call in self.plan.draws:
                self.plan.draws[call] = (self.plan.draws[call][0], new)
            else:
                param, _ = self.plan.calls[call]
                self.plan.calls[call] = (param, new[0])
        self._claim(statements[0], *given)
        return given

    def _why_not_batched(self, loop: cst.For, index: str):
        """draw -> why it is drawn per iteration ("" when it can be batched)."""
        exit_kind = _early_exit(loop)
        changed = self._changed_in(loop)
        effects = self.analysis.effects
        # a call that may change objects or globals behind the loop's back (a method, a helper
        # writing a global): what a draw reads may change though no statement of the loop writes it
        changing = next((c for c in calls_in(loop.body) if effects.effects_of(c) & _MAY_CHANGE), None)

        def why_not(call: cst.Call) -> str:
            draw: Draw = self.plan.draws[call][0]
            sampler = sampler_for(draw.api, draw.name)
            if exit_kind:
                return (f"the loop can stop early (`{exit_kind}`), and drawing for every iteration before it "
                        "could cost more than the loop")
            if draw.name == "shuffle" or sampler is None or sampler.keys != 1:
                return f"`{draw.name}` is not drawn for many iterations at once by jaxify"
            bound = sampler.bind(call)  # a dict: the draw was rewritten, so its arguments bound
            arguments = list(bound.values())
            read = [name for node in arguments for name in reads_of(node)]
            moving = next((name for name in read if name in changed), None)
            if moving:
                return f"its arguments read `{moving}`, which the loop changes"
            outside = next((name for name in read if name != index), None)
            if outside and changing is not None:
                return (f"its arguments read `{outside}`, and the loop calls `{source(changing.func)}`, "
                        "which may change it")
            sizes = [node for name, node in bound.items() if name == "size" or name.startswith("dim")]
            if any(index in reads_of(node) for node in sizes):
                return f"its size depends on the loop index `{index}`"
            effectful = next((c for node in arguments for c in calls_in(node) if effects.effects_of(c) & SIDE_EFFECTS),
                             None)
            if effectful is not None:
                return f"its arguments call `{source(effectful.func)}`, which may have side effects"
            return ""

        return why_not

    def _changed_in(self, loop: cst.For) -> set[str]:
        """Names the loop rebinds or writes in place, and the names sharing what it writes."""
        changed = set(block_flow(list(loop.body.body)).written)
        for scope in self.analysis.mutation.scopes:
            for write in scope.writes:
                if _inside(write.node, loop, self.parents):
                    changed |= {_written_base(write.target), *write.sharers}
        return changed

    def _batch(self, loop: cst.For, index: str, call: cst.Call, sometimes: str) -> str:
        draw: Draw = self.plan.draws[call][0]
        statement = draw.place.statement
        taken = self._taken(statement)
        loop_key = self.planner.free_name(f"{draw.name}_key", taken)
        array = self.planner.free_name(f"{draw.name}_draws", taken | {loop_key})
        self._claim(statement, loop_key, array)
        indices, position = _indices(loop, index)
        self.result.batched[call] = BatchedDraw(loop_key, index, array, indices, position)
        self.result.batches_before.setdefault(loop, []).append(call)
        subkeys = set(self.plan.draws[call][1])
        (key_var, left), = self.plan.splits[statement]
        self.plan.splits[statement] = [(key_var, [k for k in left if k not in subkeys])]
        note = f"; drawn for every iteration at once before the loop (`{array}`)"
        sizes = [source(node) for name, node in sampler_for(draw.api, draw.name).bind(call).items()
                 if name == "size" or name.startswith("dim")]
        if sizes:  # the memory the loop needed for one draw, it now needs for all of them
            note += f", which holds every iteration's draw (of size `{', '.join(sizes)}`) in memory at once"
        if sometimes:
            note += (f", also in iterations where the original skips it ({sometimes}): draws are independent, "
                     "so every outcome keeps its distribution")
        self.result.notes[call] = note
        return loop_key

    def _subkeys_of(self, call: cst.Call) -> list[str]:
        return self.plan.draws[call][1] if call in self.plan.draws else [self.plan.calls[call][1]]

    def _taken(self, statement: cst.CSTNode) -> set[str]:
        return self.planner.names_near(statement) | self.claimed.get(self._function(statement), set())

    def _claim(self, statement: cst.CSTNode, *names: str) -> None:
        self.claimed.setdefault(self._function(statement), set()).update(names)

    def _function(self, statement: cst.CSTNode) -> cst.CSTNode | None:
        function = self.analysis.function_of(statement)
        return function.node if function is not None else None


def _ancestors(node: cst.CSTNode, parents: dict[cst.CSTNode, cst.CSTNode]):
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef):
        yield parent
        parent = parents.get(parent)


def _inside(node: cst.CSTNode, container: cst.CSTNode, parents: dict[cst.CSTNode, cst.CSTNode]) -> bool:
    return any(ancestor is container for ancestor in _ancestors(node, parents))


def _written_base(target: cst.BaseExpression) -> str:
    """The name whose object a write changes: ``x`` of ``x[i]``, ``self`` of ``self.a[i]``."""
    while isinstance(target, (cst.Subscript, cst.Attribute)):
        target = target.value
    return target.value if isinstance(target, cst.Name) else ""


def _range_index(loop: cst.For, resolve) -> str | None:
    """``i`` of ``for i in range(...)``; None for any other loop."""
    if not (isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Call)):
        return None
    if resolve(loop.iter.func) != "builtins.range" or not 1 <= len(loop.iter.args) <= 3:
        return None
    if any(arg.star or arg.keyword is not None for arg in loop.iter.args):
        return None
    return loop.target.value


def _indices(loop: cst.For, index: str) -> tuple[str, str]:
    """(``jnp.arange`` over the loop's indices, the position of ``index`` among them)."""
    args = [arg.value for arg in loop.iter.args]
    indices = f"jnp.arange({', '.join(source(a) for a in args)})"
    if len(args) == 1 or isinstance(args[0], cst.Integer) and args[0].value == "0" and len(args) == 2:
        return indices, index
    start = source(args[0]) if is_atom(args[0]) else f"({source(args[0])})"
    if len(args) == 2:
        return indices, f"{index} - {start}"
    step = source(args[2]) if is_atom(args[2]) else f"({source(args[2])})"
    return indices, f"({index} - {start}) // {step}"


def _mentions(loop: cst.For, name: str, except_in: set[cst.CSTNode]) -> bool:
    """Whether the loop mentions ``name`` outside ``except_in`` (the user's own use of the key)."""
    found = False

    class Names(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            return node not in except_in and super().on_visit(node)

        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            found = found or node.value == name

    visit(None, loop, Names())
    return found


class _Exits(cst.CSTVisitor):
    """The first ``break`` of this loop or ``return`` inside it, and whether it has ``continue``."""

    def __init__(self) -> None:
        self.exit = ""
        self.continues = False
        self.depth = 0  # loops nested inside the visited one: their `break`/`continue` are their own

    def visit_For(self, node) -> None:
        self.depth += 1

    def leave_For(self, node) -> None:
        self.depth -= 1

    visit_While, leave_While = visit_For, leave_For

    def visit_FunctionDef(self, node) -> bool:
        return False

    def visit_Lambda(self, node) -> bool:
        return False

    def visit_Break(self, node) -> None:
        self.exit = self.exit or ("break" if self.depth == 0 else "")

    def visit_Return(self, node) -> None:
        self.exit = self.exit or "return"

    def visit_Continue(self, node) -> None:
        self.continues = self.continues or self.depth == 0


def _scan(statements: Iterable[cst.CSTNode]) -> _Exits:
    exits = _Exits()
    for statement in statements:
        visit(None, statement, exits)
    return exits


def _early_exit(loop: cst.For) -> str:
    return _scan(loop.body.body).exit


def _skipped_by(loop: cst.For, using: list[cst.CSTNode]) -> dict[cst.CSTNode, str]:
    """Drawing statements that a ``continue`` before them skips in some iterations."""
    body = list(loop.body.body)
    return {statement: "a `continue` before it" for statement in using
            if _scan(body[:body.index(statement)]).continues}


def _evaluated_sometimes(call: cst.Call, statement: cst.CSTNode, parents) -> str:
    """How the original may skip ``call`` within its statement: the right operand of ``and``/``or``,
    a branch of ``x if c else y``; "" when it is always evaluated."""
    child, parent = call, parents.get(call)
    while parent is not None and child is not statement:
        if isinstance(parent, cst.BooleanOperation) and child is parent.right:
            return f"`{source(parent.operator).strip()}` evaluates it only when needed"
        if isinstance(parent, cst.IfExp) and child is not parent.test:
            return "it sits in one branch of a conditional expression"
        if isinstance(parent, cst.If) and child is parent.orelse:
            return "it is tested only when the `if` before it fails"
        child, parent = parent, parents.get(parent)
    return ""

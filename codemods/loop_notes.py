"""Why a loop lowered to a sequential form costs what it costs: notes for its finding.

`lax.fori_loop`, `lax.while_loop` and `lax.scan` run their iterations one after another. That is
exact, and compiled it beats the Python loop, but it stays far behind a vectorised form of the
same computation, and a reviewer comparing with hand-written JAX needs to know why the tool did
not vectorise. Each note names the fact that forces the order:

- ``sequential_note``: iterations read elements of an array that other iterations write
  (Gauss-Seidel, Floyd-Warshall);
- ``recurrence_note``: iterations start from values the one before left (`mean` in Welford's
  update, the state of a Markov chain, a key split per draw); a vectorised form would need another
  algorithm (a two-pass variance, all draws made up front), which is the user's decision;
- ``copy_note``: an iteration writes an element of a carried array and another carried value is
  computed from what it read of that array (a swap counted in ``swaps``, a Gauss-Seidel sweep's
  largest change); XLA on CPU then copies the whole array on every iteration (measured: a
  bubble-sort pass over 10^5 elements, 3.2 s against NumPy's 42 ms), which costs more than the
  loop saves when an iteration does little work on a long array;
- ``whole_rows_note``: each iteration computes a whole row of a table, which NumPy already does
  vectorised; compiled, the loop saves only NumPy's per-row dispatch, so on long rows
  (memory-bound work) it can run slower than the original.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_flow import block_flow, reads_of
from jaxify.analysis.loops import LoopInfo, at_update
from jaxify.analysis.ranks import FunctionRanks


def cost_note(info: LoopInfo, body: Sequence[cst.BaseStatement] = ()) -> str:
    """The note for a loop lowered sequentially: what other iterations write, else what the one
    before leaves ('' when neither holds: every carry is a plain reduction or only written); then,
    for the lowered ``body``, the copy XLA may make of an array written in place."""
    return (sequential_note(info.node) or recurrence_note(info)) + copy_note(info.carried, body)


def sequential_note(loop: cst.For | cst.While) -> str:
    """Why a loop that writes an array element by element stays sequential, when it reads that
    array at another element than the one it writes; else ''."""
    written: dict[str, set[str]] = {}
    for node in m.findall(loop.body, m.Call(func=m.Attribute(value=m.Subscript(value=m.Attribute(value=m.Name(), attr=m.Name("at")))))):
        at = node.func.value
        written.setdefault(at.value.value.value, set()).add(code_of(cst.Subscript(value=cst.Name("_"), slice=at.slice)))
    for name, places in written.items():
        for read in m.findall(loop.body, m.Subscript(value=m.Name(name))):
            if code_of(cst.Subscript(value=cst.Name("_"), slice=read.slice)) not in places:
                return (f"; sequential: iterations read elements of `{name}` that other iterations write "
                        f"(`{code_of(read)}`), so they run one after another, slower than a vectorised form")
    return ""


def recurrence_note(info: LoopInfo) -> str:
    """Why a loop stays sequential when iterations start from carried values the iteration before
    left (read before written, not a plain `s += ...` reduction); else ''."""
    index = getattr(info.space, "index_name", None)
    recurrences = [name for name in info.carried if name in info.exposed and name not in info.reductions
                   and name != index and _read_beyond_own_updates(name, info)]
    if not recurrences:
        return ""
    names = ", ".join(f"`{name}`" for name in recurrences)
    return (f"; sequential: each iteration starts from the {names} the one before left, so iterations run one "
            "after another, slower than a vectorised form (which would need a different algorithm)")


def _read_beyond_own_updates(name: str, info: LoopInfo) -> bool:
    """Whether the loop's body reads ``name`` other than as the array of its own element writes
    (``name[i] = v``, ``name[i] += v``, ``name = name.at[i].set(v)``) or its conversion hoisted
    before the loop: writing elements is no recurrence (reading elements other iterations write
    is ``sequential_note``'s case)."""
    named, element = m.Name(name), m.Subscript(value=m.Name(name))
    target = m.AssignTarget(target=named | element) | m.AnnAssign(target=named | element) | m.AugAssign(target=element)
    mentions = 0
    for statement in info.node.body.body:
        if statement not in info.conversions:
            mentions += (len(m.findall(statement, named)) - len(m.findall(statement, target))
                         - len(m.findall(statement, m.Attribute(value=named, attr=m.Name("at")))))
    return mentions > 0


def copy_note(carried: Sequence[str], body: Sequence[cst.BaseStatement]) -> str:
    """The copy hazard of ``copy_note`` in the module docstring, for a lowered loop ``body``; else ''."""
    hazard = _copy_hazard(carried, body)
    if hazard is None:
        return ""
    other, array = hazard
    return (f"; `{other}` is computed from `{array}` in the iteration that writes `{array}`: XLA on CPU "
            f"may copy `{array}` on every iteration then, so on a long array with little work per "
            "iteration this loop can be slower than the original: time it on your sizes")


def quadratic_copy(info: LoopInfo, body: Sequence[cst.BaseStatement]) -> str:
    """Why a loop is better left to NumPy: the copy hazard, in a loop whose iterations do constant
    work (no loop inside). Copying the array on each of its n iterations makes it O(n^2) where NumPy
    is O(n) (a counted bubble-sort pass: 2.6 s jitted against NumPy's 29 ms at 10^5); with a loop
    inside, an iteration already costs as much as the copy. '' when the loop may convert."""
    hazard = _copy_hazard(info.carried, body)
    if hazard is None or m.findall(info.node.body, m.For() | m.While()):
        return ""
    other, array = hazard
    return (f"`{other}` is computed from elements of `{array}` in the iteration that writes `{array}`, so XLA "
            f"copies `{array}` on every iteration, more work than the iteration itself: slower than NumPy")


def _copy_hazard(carried: Sequence[str], body: Sequence[cst.BaseStatement]) -> tuple[str, str] | None:
    """(other carried value, array) for the first hazard of ``copy_note``; else None."""
    statements = [s for s in body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1]
    for array in {_updated_array(s) for s in statements} - {None}:
        derived: set[str] = set()
        for statement in statements:
            if _updated_array(statement) == array:
                continue
            reads, written = set(reads_of(statement.body[0])), block_flow([statement]).written
            element_read = bool(m.findall(statement, m.Subscript(value=m.Name(array))))
            if not (element_read or reads & derived - {array}):
                continue  # (rebinding the whole array, `u = u_next`, is no read of its elements)
            others = sorted(written & set(carried) - {array})
            if others:
                return others[0], array
            derived |= written
    return None


def _updated_array(statement: cst.SimpleStatementLine) -> str | None:
    """``x`` for ``x = x.at[...].set(...)`` (any update method)."""
    small = statement.body[0]
    if not m.matches(small, m.Assign(targets=[m.AssignTarget(target=m.Name())])):
        return None
    update = at_update(small.value)
    name = small.targets[0].target.value
    return name if update is not None and update[0] == name else None


def whole_rows_note(table: str, indices: int, ranks: FunctionRanks) -> str:
    """For a loop that writes ``table`` at ``indices`` indices per iteration: when that is a whole
    row (the table's rank is known and larger), the cost of a compiled loop over rows; else ''."""
    rank = ranks.rank(table)
    if rank is None or rank <= indices:
        return ""
    return (f"; each step computes a whole row of `{table}`, which NumPy already does vectorised: compiled, the "
            "loop saves only NumPy's per-row overhead and can be slower than the original on long rows: time it on "
            "your sizes (`jaxify verify --sizes`)")

"""Drop ``x = jnp.asarray(x)`` right after ``x = jnp.zeros_like(...)`` once both are jax.numpy.

The in-place codemod converts a written array first (``x = jnp.asarray(x)``) when it may still be
a NumPy array, because ``.at`` exists only on jax arrays. When a later pass moves the array's
creator to jax.numpy too (``x = np.zeros_like(y)`` -> ``x = jnp.zeros_like(y)``), the conversion
converts a jax array: a no-op that a reviewer would have to read. It is dropped in the pass that
moves the creator, and only there (code the user wrote is never tidied), and only where the
conversion line carries no comment.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.ranks import COPIES, CREATIONS

# jax.numpy functions that always return a new jax array: the shape-taking creators and copies the
# rank analysis knows, and the ranges and identities.
CREATORS = CREATIONS | COPIES | {"arange", "linspace", "eye", "identity"}


def without_redundant_conversions(original: Sequence[cst.BaseStatement], updated: Sequence[cst.BaseStatement],
                                  jnp: str) -> list[cst.BaseStatement] | None:
    """``updated`` without the conversions that follow a creator moved in this pass; None if none."""
    if len(original) != len(updated):
        return None  # statements were added or removed: the original no longer lines up
    kept: list[cst.BaseStatement] = []
    dropped = False
    for index, statement in enumerate(updated):
        if index:
            created = _created_name(updated[index - 1], jnp)
            moved_here = created is not None and _created_name(original[index - 1], jnp) is None
            if moved_here and _converts_again(statement, created, jnp):
                dropped = True
                continue
        kept.append(statement)
    return kept if dropped else None


def _created_name(statement: cst.BaseStatement, jnp: str) -> str | None:
    """``x`` for ``x = jnp.<creator>(...)`` on a line of its own."""
    creator = m.Call(func=m.Attribute(value=m.Name(jnp), attr=m.OneOf(*(m.Name(c) for c in CREATORS))))
    pattern = m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(target=m.Name())], value=creator)])
    if not m.matches(statement, pattern):
        return None
    return statement.body[0].targets[0].target.value


def _converts_again(statement: cst.BaseStatement, name: str, jnp: str) -> bool:
    """``name = jnp.asarray(name)`` alone on its line, with no comment to lose."""
    return (converted_name(statement, jnp) == name and not statement.leading_lines
            and statement.trailing_whitespace.comment is None)


def converted_name(statement: cst.BaseStatement, jnp: str = "jnp") -> str | None:
    """``x`` for ``x = jnp.asarray(x)`` alone on its line (``jnp``: the module's name for jax.numpy)."""
    conversion = m.Call(func=m.Attribute(value=m.Name(jnp), attr=m.Name("asarray")),
                        args=[m.Arg(value=m.Name(), keyword=None, star="")])
    if not m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())], value=conversion)])):
        return None
    assign = statement.body[0]
    name = assign.targets[0].target.value
    return name if assign.value.args[0].value.value == name else None

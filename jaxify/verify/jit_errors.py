"""Turn an exception raised while jitting a rewritten function into plain words at the user's line."""

from __future__ import annotations

import re
import traceback

_ARGUMENT = re.compile(r"depends on the value of the argument[s]? ['`]?(\w+)")

# (exception class name, what happened, what to do)
_EXPLANATIONS = {
    "TracerBoolConversionError": (
        "a traced value is used where Python needs a True/False (an `if`, `while`, `and`/`or`, `bool()`)",
        "mark the argument static (static_argnames) if it is configuration, or use lax.cond / jnp.where",
    ),
    "ConcretizationTypeError": (
        "Python needs the concrete value of a traced array here (a shape, a size, `float()`, `int()`, a slice bound)",
        "mark the argument static if it only carries sizes or settings, or give the operation a static size",
    ),
    "TracerIntegerConversionError": (
        "a traced value is used as a Python int (`range(n)`, list indexing, `int()`)",
        "mark the argument static, or index an array instead of a list / use lax.fori_loop",
    ),
    "TracerArrayConversionError": (
        "a traced value reaches a NumPy function, which needs a concrete array",
        "use the jax.numpy function instead of numpy's, or move the NumPy call outside the jitted code",
    ),
    "NonConcreteBooleanIndexError": (
        "boolean-mask indexing gives a shape that depends on the data, which jit cannot trace",
        "use jnp.where(mask, x, other) or a reduction with where=",
    ),
    "KeyReuseError": (
        "a PRNG key is used more than once, so two draws are identical",
        "split the key (jax.random.split) before each draw",
    ),
}


def explain_jit_failure(error: BaseException, rewritten_file: str, static_argnames: tuple[str, ...]) -> dict:
    """A finding for ``error``: the rewritten line it arose at, the traced argument, and what to do."""
    name = type(error).__name__
    text = str(error)
    line = _line_in(error, rewritten_file)
    argument = _ARGUMENT.search(text)
    traced = f"argument `{argument.group(1)}` is traced: " if argument else ""
    if name in _EXPLANATIONS:
        what, hint = _EXPLANATIONS[name]
        message = f"fails under jax.jit: {traced}{what}"
    elif "Non-hashable static arguments" in text or "non-hashable" in text.lower():
        message = (f"fails under jax.jit: a static argument ({', '.join(static_argnames) or '?'}) "
                   f"gets a value that cannot be hashed (a list, dict or array)")
        hint = "pass a tuple instead of a list, or make the argument a traced array instead of static"
    else:
        first = text.strip().splitlines()[0] if text.strip() else ""
        message = f"fails under jax.jit: {name}: {first[:300]}"
        hint = "run the rewritten function under jax.jit to see the full error"
    return {"kind": "jit", "rewritten_line": line, "message": message, "hint": hint, "error": name}


def _line_in(error: BaseException, filename: str) -> int | None:
    """The last line of ``filename`` in the traceback (the user's code, not JAX's internals)."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line

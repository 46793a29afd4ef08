"""Shared test helpers: rewrite a source text with CLI-style flags, load code as a module, and
compare the outputs of the original and the rewritten code."""

from __future__ import annotations

import itertools
import sys
import types
from pathlib import Path

from jaxify.cli import build_options, fix_command
from jaxify.config import Options
from jaxify.engine import FileResult, rewrite_text
from jaxify.verify.compare import compare

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent

_OPTION_NAMES = ("select", "ignore", "unsafe", "precision", "target_jax", "jit", "key_name", "assume_numeric_inputs")


def options_from_flags(flags: list[str]) -> Options:
    """The Options the command line would build from ``flags`` (e.g. ``["--unsafe"]``)."""
    context = fix_command.make_context("fix", ["placeholder.py", *flags])
    params = {name: context.params[name] for name in _OPTION_NAMES}
    params["select"] = tuple(code.upper() for code in params["select"])
    params["ignore"] = tuple(code.upper() for code in params["ignore"])
    return build_options(REPO / "tests", **params)


def rewrite(text: str, flags: list[str] | tuple[str, ...] = (), path: str = "case.py") -> FileResult:
    return rewrite_text(text, path, options_from_flags(list(flags)))


_counter = itertools.count()


def load_module(text: str, name: str = "case") -> types.ModuleType:
    """Execute ``text`` as a fresh module (registered in sys.modules, so pickling and dataclasses work)."""
    unique = f"_jaxify_test_{name}_{next(_counter)}"
    module = types.ModuleType(unique)
    module.__file__ = f"<{unique}>"
    sys.modules[unique] = module
    exec(compile(text, module.__file__, "exec"), module.__dict__)
    return module


def assert_same(expected, actual, *, rtol: float = 1e-10, atol: float = 1e-12, path: str = "result") -> None:
    """Pytree equality: same structure, shapes and dtype kinds, values close (NaN equals NaN), ints exact.

    The one comparison jaxify has: ``jaxify.verify.compare`` (what ``jaxify verify`` uses too).
    """
    comparison = compare(expected, actual, rtol=rtol, atol=atol, path=path)
    assert comparison.equal, comparison.message

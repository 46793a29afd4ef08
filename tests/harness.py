"""Shared test helpers: rewrite a source text with CLI-style flags, load code as a module, and
compare the outputs of the original and the rewritten code."""

from __future__ import annotations

import itertools
from collections.abc import Callable
import sys
import types
from pathlib import Path

from jaxify.cli import build_options, fix_command
from jaxify.config import Options
from jaxify.engine import FileResult, rewrite_text
from jaxify.verify.compare import compare

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent

_OPTION_NAMES = ("select", "ignore", "unsafe", "precision", "target_jax", "jit", "key_name", "assume_numeric_inputs",
                 "partial", "exact_order")


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


class Examples:
    """A fixture's runtime inputs, from its ``<case>.examples.py`` sidecar (the corpus's format).

    The sidecar defines ``jaxify_examples()`` (function name -> list of argument tuples), and
    optionally ``STATIC_ARGNAMES`` (function name -> names ``jax.jit`` must treat as static) and
    ``ARRAYS = "jax"`` when the fixture is already written in jax.numpy and its functions take
    jax arrays: NumPy arrays and Python floats become jax arrays (the default, ``"numpy"``, is a
    legacy program called with exactly the sidecar's values). ``JITTED_BY_THE_REWRITE`` names the
    functions the rewrite wraps in ``jax.jit`` itself (``--jit``). ``RETURNS_WRITTEN`` (function
    name -> parameter names) lists the parameters the original writes in place and the rewrite
    returns after its own result (the "mutated parameters are returned" contract, ``--unsafe``).
    ``RUNS_EAGERLY`` names functions whose rewrite keeps a NumPy call on purpose: run without jit.
    ``REFERENCE`` (function name -> callable) is what the functions mean, written by hand, for a
    fixture whose original cannot run (it calls APIs the installed versions removed).
    """

    def __init__(self, path: Path):
        module = load_module(path.read_text(encoding="utf-8"), "examples")
        self.module = module
        self.calls: dict[str, list[tuple]] = module.jaxify_examples()
        self.static: dict[str, tuple[str, ...]] = getattr(module, "STATIC_ARGNAMES", {})
        self.takes_jax_arrays = getattr(module, "ARRAYS", "numpy") == "jax"
        self.jitted_by_the_rewrite: set[str] = set(getattr(module, "JITTED_BY_THE_REWRITE", ()))
        self.returns_written: dict[str, tuple[str, ...]] = getattr(module, "RETURNS_WRITTEN", {})
        self.runs_eagerly: set[str] = set(getattr(module, "RUNS_EAGERLY", ()))
        self.reference: dict[str, Callable] = getattr(module, "REFERENCE", {})

    def arguments(self, args: tuple) -> tuple:
        """``args`` as the fixture's functions take them: NumPy arrays, or jax arrays."""
        if not self.takes_jax_arrays:
            return args
        import jax.numpy as jnp
        import numpy as np

        return tuple(jnp.asarray(a) if isinstance(a, (float, np.ndarray, np.generic)) else a for a in args)


def examples_of(path: Path) -> Examples:
    return Examples(path)


def check_rewrite_under_jit(case: Path) -> int:
    """Run a fixture's original and its expected rewrite on its sidecar's examples; the count run.

    The original runs eagerly on copies of the arguments (so what it writes in place can be read
    afterwards), or the sidecar's ``REFERENCE`` stands in for it; the rewrite runs under ``jax.jit``
    with the sidecar's static arguments. Results must match, NumPy dtypes (arrays and scalars)
    exactly, and so must the arguments listed in ``RETURNS_WRITTEN``.
    """
    import jax

    examples = examples_of(case.with_name(case.stem + ".examples.py"))
    original = None if examples.reference else load_module(case.read_text(encoding="utf-8"), "original")
    rewritten = load_module(case.with_name(case.stem + ".expected.py").read_text(encoding="utf-8"), "rewritten")
    checked = 0
    for name, calls in examples.calls.items():
        function = getattr(rewritten, name)
        if name not in examples.jitted_by_the_rewrite | examples.runs_eagerly:
            function = jax.jit(function, static_argnames=examples.static.get(name, ()))
        for args in calls:
            args = examples.arguments(args)
            if original is None:
                expected = examples.reference[name](*args)
            else:
                expected = result_with_written_arguments(getattr(original, name), args,
                                                         examples.returns_written.get(name, ()))
            actual = function(*args)
            assert_same(expected, actual, path=name)
            assert_same_numpy_dtypes(expected, actual)
            checked += 1
    return checked


def call_on_copies(function, args: tuple) -> tuple:
    """``function``'s result on copies of ``args``, and the copies afterwards (what it wrote in place)."""
    import numpy as np

    copies = [np.array(a) if isinstance(a, np.ndarray) else a for a in args]
    return function(*copies), copies


def result_with_written_arguments(function, args: tuple, written: tuple[str, ...]):
    """``function``'s result on copies of ``args``, followed by the ``written`` arguments afterwards."""
    result, copies = call_on_copies(function, args)
    if not written:
        return result
    params = list(function.__code__.co_varnames[: function.__code__.co_argcount])
    after = tuple(copies[params.index(name)] for name in written)
    if result is None:
        return after[0] if len(after) == 1 else after
    return (result, *after)


def assert_same_numpy_dtypes(expected, actual) -> None:
    import numpy as np

    if isinstance(expected, (tuple, list)):
        for e, a in zip(expected, actual):
            assert_same_numpy_dtypes(e, a)
    elif isinstance(expected, (np.ndarray, np.generic, bool, int, float, complex)):
        wanted = np.asarray(expected).dtype
        assert np.asarray(actual).dtype == wanted, (wanted, np.asarray(actual).dtype)

"""The speed columns of benchmarks/loops.py and benchmarks/corpus.py: one function, measured in this
process, on the same inputs, on whatever JAX device is present.

    original   the legacy function as written (NumPy)
    numba      the legacy module with every function under ``numba.njit``, the users' alternative
               (the ``bench`` extra); "n/a" with Numba's reason where it cannot compile the original
               or is not installed
    as called  the rewrite called as legacy callers call it: NumPy arguments, through whatever the
               rewrite left (its own ``jax.jit`` wrapper, or the plain function, run eagerly)
    jitted     the whole rewritten function under ``jax.jit`` with the static argnames the analysis
               inferred (the rewrite's own wrapper when it made one), its arrays already on the device
    reference  the hand-written JAX, jitted with those static argnames plus the declared ones
    compile    tracing and compiling the jitted rewrite, apart from the medians

Each is the median of repeated calls with the first call excluded, on the largest example input
and, when the examples hold a smaller one, on the smallest too: JAX pays a dispatch cost per call
that NumPy does not, so the crossover below which JAX is slower shows at the small size.

*Never slower*: a rewrite whose "as called" time is above the original's is slower for the callers
it already has; ``slower_without_finding`` lists those that carry no finding saying so.
"""

from __future__ import annotations

import copy
import inspect
import sys
import time
import types

import numpy as np

from jaxify.verify.jit_errors import explain_jit_failure
from jaxify.verify.sizes import time_limit
from jaxify.verify.timing import compile_ms, copier, time_calls

SLOW_CALL_SECONDS = 1.0  # a call slower than this is timed once more instead of 5+ times
BUDGET_SECONDS = 10.0  # per column and size: an eager rewrite that re-compiles per iteration can take hours
KEY_NAME = "key"
NOISE = 0.1  # medians of microsecond calls on a busy machine differ by a few percent between two runs


def load(text: str, name: str) -> types.ModuleType:
    """``text`` executed as a fresh module registered under ``name`` (pickling and numba need that)."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    exec(compile(text, module.__file__, "exec"), module.__dict__)
    return module


def numba_module(text: str, name: str) -> tuple[types.ModuleType | None, str]:
    """The legacy module with each of its functions under ``numba.njit`` (compiled lazily, at the
    first call, so helpers are compiled with their callers, as a user decorating them would)."""
    try:
        import numba
    except ImportError:
        return None, "n/a: numba is not installed (pip install 'jaxify-refactor[bench]')"
    module = load(text, name)
    for attribute, value in list(vars(module).items()):
        if inspect.isfunction(value) and value.__module__ == name:
            setattr(module, attribute, numba.njit(value))
    return module, ""


def median_ms(call, fresh_args) -> float:
    """Median milliseconds of ``call(*fresh_args())``, the first call excluded; a call slower than
    ``SLOW_CALL_SECONDS`` (a Python loop dispatching JAX operations one by one) is timed once."""
    args, kwargs = fresh_args()
    start = time.perf_counter()
    _block(call(args, kwargs))
    if time.perf_counter() - start > SLOW_CALL_SECONDS:
        args, kwargs = fresh_args()
        start = time.perf_counter()
        _block(call(args, kwargs))
        return (time.perf_counter() - start) * 1e3
    return time_calls(call, fresh_args)[0]


class OverBudget(Exception):
    pass


def bounded_ms(call, fresh_args) -> tuple[float | None, str]:
    """``median_ms`` within ``BUDGET_SECONDS``: ``(None, "over N s")`` when it runs past it."""
    try:
        with time_limit(BUDGET_SECONDS, OverBudget):
            return median_ms(call, fresh_args), ""
    except OverBudget:
        return None, f"over {BUDGET_SECONDS:g} s (stopped)"


def _block(value):
    import jax

    return jax.block_until_ready(value)


def takes_new_key(original, rewritten) -> bool:
    """The rewrite draws from a ``jax.random`` key the original did not take."""
    return (KEY_NAME in inspect.signature(rewritten).parameters
            and KEY_NAME not in inspect.signature(original).parameters)


def end_to_end_jit(rewritten, static: tuple[str, ...], args, kwargs) -> tuple[object | None, str]:
    """``(jitted function, "")`` when the whole rewritten function runs under ``jax.jit`` on
    ``args``, else ``(None, why)``. A function the rewrite already wrapped is used as it is."""
    import jax

    jitted = rewritten if hasattr(rewritten, "lower") else jax.jit(rewritten, static_argnames=static)
    try:
        _block(jitted(*copy.deepcopy(args), **copy.deepcopy(kwargs)))
    except Exception as error:  # a rewrite that does not trace is a result to report
        code = getattr(getattr(rewritten, "__wrapped__", rewritten), "__code__", None)
        explained = explain_jit_failure(error, code.co_filename if code else "", static)
        where = f"rewritten line {explained['rewritten_line']}: " if explained["rewritten_line"] else ""
        return None, where + explained["message"]
    return jitted, ""


def timing_inputs(calls: list) -> list[tuple[str, tuple, dict]]:
    """The largest example input, and the smallest when it is smaller: ``[(label, args, kwargs)]``."""
    sizes = [sum(np.size(a) for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray)) for args, kwargs in calls]
    largest, smallest = int(np.argmax(sizes)), int(np.argmin(sizes))
    chosen = [("large", *calls[largest])]
    if sizes[smallest] < sizes[largest]:
        chosen.append(("small", *calls[smallest]))
    return chosen


def measure(name: str, modules: dict, calls: list, static: tuple[str, ...], declared: tuple[str, ...] = ()) -> dict:
    """The columns for function ``name``; ``modules`` maps original / rewritten / reference / numba
    to a module (or None), ``calls`` are ``(args, kwargs)`` pairs, ``static`` the inferred argnames."""
    import jax

    original, rewritten = getattr(modules["original"], name), getattr(modules["rewritten"], name)
    extra = {KEY_NAME: jax.random.key(0)} if takes_new_key(original, rewritten) else {}
    first_args, first_kwargs = calls[0]
    jitted, blocker = end_to_end_jit(rewritten, static, first_args, {**first_kwargs, **extra})
    row = {"function": name, "jits": jitted is not None, "blocker": blocker, "compile_ms": None, "sizes": {}}
    if jitted is not None and hasattr(jitted, "lower"):
        row["compile_ms"] = compile_ms(jitted, first_args, {**first_kwargs, **extra})
    reference = getattr(modules.get("reference"), name, None)
    reference_jitted = (jax.jit(reference, static_argnames=tuple(dict.fromkeys([*static, *declared])))
                        if reference is not None else None)
    for label, args, kwargs in timing_inputs(calls):
        columns = {"original_ms": median_ms(lambda a, k: original(*a, **k), copier(args, kwargs))}
        columns["as_called_ms"], columns["as_called_note"] = bounded_ms(
            lambda a, k: rewritten(*a, **k), copier(args, {**kwargs, **extra}))
        columns["jitted_ms"], columns["jitted_note"] = _jax_ms(jitted, (args, {**kwargs, **extra}))
        columns["numba_ms"], columns["numba_note"] = numba_ms(modules.get("numba"), name, args, kwargs)
        if reference_jitted is not None:
            key = {KEY_NAME: jax.random.key(0)} if KEY_NAME in inspect.signature(reference).parameters else {}
            columns["reference_ms"], columns["reference_note"] = _jax_ms(reference_jitted, (args, {**kwargs, **key}))
        row["sizes"][label] = columns
    return row


def _jax_ms(jitted, arguments) -> tuple[float | None, str]:
    """Median ms of a jitted function on ``(args, kwargs)`` put on the device; None with the error's
    name when it does not run on this input (a size the first input did not show)."""
    import jax

    if jitted is None:
        return None, ""
    device = jax.tree_util.tree_map(lambda v: jax.device_put(v) if isinstance(v, np.ndarray) else v, arguments)
    try:
        return median_ms(lambda a, k: jitted(*a, **k), lambda: device), ""
    except Exception as error:
        return None, type(error).__name__


def numba_ms(module, name: str, args, kwargs) -> tuple[float | None, str]:
    if module is None:
        return None, "n/a"
    try:  # unbounded: Numba's compilation (the first call) swallows the budget's signal in its callbacks
        return median_ms(lambda a, k: getattr(module, name)(*a, **k), copier(args, kwargs)), ""
    except Exception as error:  # Numba's typing errors span pages: their first line says enough
        first_line = next((line for line in str(error).splitlines() if line.strip()), type(error).__name__)
        return None, f"n/a: {first_line[:100]}"


def is_slower(row: dict) -> bool:
    """The rewrite, called as before, takes longer than the original at some measured size (beyond
    ``NOISE`` of it), or ran past the time budget."""
    return any(c["as_called_ms"] is None or c["as_called_ms"] > c["original_ms"] * (1 + NOISE)
               for c in row["sizes"].values())


def says_slower(findings: list) -> bool:
    """Some finding tells the user the rewrite runs slower (in its message, reason or help)."""
    return any("slower" in " ".join(str(f.get(part, "")) for part in ("message", "reason", "hint")).lower()
               for f in findings)


def slower_without_finding(rows: list[dict], findings_of) -> list[dict]:
    """Rows slower than their original whose function has no finding that says so; ``findings_of``
    maps a row to the findings (dicts) reported on its function."""
    return [row for row in rows if is_slower(row) and not says_slower(findings_of(row))]


def function_spans(text: str) -> dict[str, tuple[int, int]]:
    """First and last line of each top-level function of a module's source."""
    import ast

    return {node.name: (node.lineno, node.end_lineno) for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef)}


def findings_within(findings, span: tuple[int, int]) -> list[dict]:
    """The rewrite's findings (``jaxify.findings.Finding``) reported inside ``span``, as dicts."""
    return [{"line": f.line, "code": f.code, "status": f.status.value, "message": f.message, "reason": f.reason,
             "hint": f.hint} for f in findings if span[0] <= f.line <= span[1]]


def first_blocker(findings: list[dict]) -> str:
    """The first finding that was not fixed, as ``line N: CODE message``; empty when none."""
    for finding in sorted(findings, key=lambda f: f["line"]):
        if finding["status"] != "fixed":
            return f"line {finding['line']}: {finding['code']} {finding['message']}"
    return ""


def format_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def format_called(columns: dict) -> str:
    """The "as called" cell: the time, or that it ran past the budget."""
    if columns["as_called_ms"] is None:
        return f">{BUDGET_SECONDS:g}s"
    return format_ms(columns["as_called_ms"])


def jax_slower_when_small(row: dict) -> bool:
    """The crossover: at the smallest example input the jitted rewrite is slower than the original."""
    small = row["sizes"].get("small")
    return bool(small and small["jitted_ms"] is not None and small["jitted_ms"] > small["original_ms"])

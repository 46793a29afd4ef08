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
    compile    tracing and compiling the jitted rewrite at that size, apart from the medians

Each is the median of repeated calls with the first call excluded, at up to three sizes:

    small      the smallest example input (``jaxify_examples()``), when smaller than the largest:
               JAX pays a dispatch cost per call that NumPy does not, so the crossover below which
               JAX is slower shows here
    large      the largest example input: still toy-sized, since ``jaxify verify`` and the tests run it
    work       the working size an examples module declares in ``jaxify_benchmark_examples()`` (only
               the benchmarks call it): the size the users' programs run at, where the done-when
               figures of issues 12 and 13 are read; equivalence under jit is checked there too,
               since bigger inputs can expose numeric divergence the toy inputs do not

*Never slower*: a rewrite whose "as called" time is above the original's is slower for the callers
it already has; ``slower_without_finding`` lists those that carry no finding saying so.
"""

from __future__ import annotations

import copy
import inspect
import statistics
import sys
import time
import types

import numpy as np

from jaxify.verify.jit_errors import explain_jit_failure
from jaxify.verify.samples import as_call
from jaxify.verify.sizes import time_limit
from jaxify.verify.timing import compile_ms, copier, time_calls
from jaxify.verify.worker import check_function

SLOW_CALL_SECONDS = 1.0  # a call slower than this is timed once more instead of 5+ times
BUDGET_SECONDS = 10.0  # per column and size: an eager rewrite that re-compiles per iteration can take hours
KEY_NAME = "key"
NOISE = 0.1  # medians of microsecond calls on a busy machine differ by a few percent between two runs
BENCHMARK_EXAMPLES_FUNCTION = "jaxify_benchmark_examples"
SIZES = ("small", "large", "work")  # the order of the table's rows and the summary's
DONE_WHEN_SIZE = "work"  # issues 12 and 13 read their figures at the size users' programs run at
# Fewer seeds than verify's 200 at the working size, where one run of the original can take 0.5 s:
# the 200-seed comparison already ran at the example size, this one looks for a divergence with size.
WORK_RANDOM_RUNS = 50


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


def benchmark_examples(module: types.ModuleType | None) -> dict[str, list]:
    """The working-size calls ``{function: [(args, kwargs)]}`` an examples module declares in
    ``jaxify_benchmark_examples()``; ``{}`` when it declares none. Only the benchmarks read them:
    ``jaxify verify`` and the tests run the toy-sized ``jaxify_examples()``, to stay fast."""
    make = getattr(module, BENCHMARK_EXAMPLES_FUNCTION, None)
    return {name: [as_call(args) for args in cases] for name, cases in make().items()} if callable(make) else {}


def loop_functions(text: str) -> list[str]:
    """The top-level functions of a module's source that hold a ``for`` or ``while`` loop."""
    import ast

    return [node.name for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef) and any(isinstance(n, (ast.For, ast.While)) for n in ast.walk(node))]


def timing_inputs(calls: list, work: list = ()) -> list[tuple[str, tuple, dict]]:
    """The largest example input, the smallest when it is smaller, and the first working-size call
    when there is one: ``[(label, args, kwargs)]``."""
    sizes = [sum(np.size(a) for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray)) for args, kwargs in calls]
    largest, smallest = int(np.argmax(sizes)), int(np.argmin(sizes))
    chosen = [("large", *calls[largest])]
    if sizes[smallest] < sizes[largest]:
        chosen.append(("small", *calls[smallest]))
    if work:
        chosen.append(("work", *work[0]))
    return chosen


def equivalent_under_jit(name: str, modules: dict, calls: list, declared: dict, random_runs: int | None = None
                         ) -> tuple[bool, str]:
    """Whether the rewrite of ``name`` under jax.jit computes what the original computes on ``calls``
    (the checks of ``jaxify verify``: random functions by distribution, mutated arguments as outputs),
    with the first finding's message when it does not."""
    job = {"hypothesis": 0, "precision": "keep", "key_name": KEY_NAME, "timing": False, "gradient": False,
           "rewritten": modules["rewritten"].__file__}
    if random_runs is not None:
        job["random_runs"] = random_runs
    result = check_function(job, {"name": name, "line": 1}, modules["original"], modules["rewritten"], calls,
                            "examples", declared)
    message = next((f["message"] for f in result["findings"]), "")
    return bool(result["equivalent"]) and result["inputs"] > 0, message


def measure(name: str, modules: dict, calls: list, static: tuple[str, ...], declared: dict | None = None,
            work: list = ()) -> dict:
    """The columns for function ``name``; ``modules`` maps original / rewritten / reference / numba
    to a module (or None), ``calls`` are ``(args, kwargs)`` pairs, ``static`` the inferred argnames,
    ``declared`` the examples' STATIC_ARGNAMES, ``work`` the working-size calls (may be empty)."""
    import jax

    declared = declared or {}
    original, rewritten = getattr(modules["original"], name), getattr(modules["rewritten"], name)
    extra = {KEY_NAME: jax.random.key(0)} if takes_new_key(original, rewritten) else {}
    first_args, first_kwargs = calls[0]
    jitted, blocker = end_to_end_jit(rewritten, static, first_args, {**first_kwargs, **extra})
    row = {"function": name, "jits": jitted is not None, "blocker": blocker, "sizes": {}}
    reference = getattr(modules.get("reference"), name, None)
    reference_static = tuple(dict.fromkeys([*static, *declared.get(name, ())]))
    reference_jitted = jax.jit(reference, static_argnames=reference_static) if reference is not None else None
    for label, args, kwargs in timing_inputs(calls, work):
        columns = {"original_ms": median_ms(lambda a, k: original(*a, **k), copier(args, kwargs)), "compile_ms": None}
        if jitted is not None and hasattr(jitted, "lower"):
            columns["compile_ms"] = _compile_ms(jitted, (args, {**kwargs, **extra}))
        if label == "work" and jitted is not None:
            columns["equivalent"], columns["equivalence_note"] = equivalent_under_jit(
                name, modules, [(args, kwargs)], declared, WORK_RANDOM_RUNS)
        columns["as_called_ms"], columns["as_called_note"] = bounded_ms(
            lambda a, k: rewritten(*a, **k), copier(args, {**kwargs, **extra}))
        columns["jitted_ms"], columns["jitted_note"] = _jax_ms(jitted, (args, {**kwargs, **extra}))
        columns["numba_ms"], columns["numba_note"] = numba_ms(modules.get("numba"), name, args, kwargs)
        if reference_jitted is not None:
            key = {KEY_NAME: jax.random.key(0)} if KEY_NAME in inspect.signature(reference).parameters else {}
            columns["reference_ms"], columns["reference_note"] = _jax_ms(reference_jitted, (args, {**kwargs, **key}))
        row["sizes"][label] = columns
    return row


def _compile_ms(jitted, arguments) -> float | None:
    """``compile_ms`` on ``(args, kwargs)``; None when the rewrite does not compile for this input
    (the jitted column then names the error)."""
    try:
        return compile_ms(jitted, *arguments)
    except Exception:
        return None


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


def slower_sizes(row: dict) -> list[str]:
    """The sizes at which the rewrite, called as before, takes longer than the original (beyond
    ``NOISE`` of it), or ran past the time budget."""
    return [label for label, c in row["sizes"].items()
            if c["as_called_ms"] is None or c["as_called_ms"] > c["original_ms"] * (1 + NOISE)]


def is_slower(row: dict) -> bool:
    return bool(slower_sizes(row))


# Every function jaxify jits carries JX801, whose help says the rewrite "can be slower" on small
# inputs: true of the toy-sized examples (small and large), no explanation at the working size.
SMALL_INPUT_CAVEAT = "JX801"


def says_slower(findings: list, label: str = "small") -> bool:
    """Some finding tells the user the rewrite runs slower at the size ``label`` (in its message,
    reason or help)."""
    return any("slower" in " ".join(str(f.get(part, "")) for part in ("message", "reason", "hint")).lower()
               for f in findings if label != DONE_WHEN_SIZE or f.get("code") != SMALL_INPUT_CAVEAT)


def slower_without_finding(rows: list[dict], findings_of) -> list[dict]:
    """Rows slower than their original, at some size, whose function has no finding that says so
    for that size; ``findings_of`` maps a row to the findings (dicts) reported on its function."""
    return [row for row in rows if any(not says_slower(findings_of(row), label) for label in slower_sizes(row))]


def explains_cost(findings: list) -> bool:
    """Some finding accounts for a rewrite far behind the hand-written reference: it says the
    rewrite is slower at the working size, or that a loop was kept sequential (JX303 names the
    element another iteration writes), which is what the references undo."""
    return says_slower(findings, DONE_WHEN_SIZE) or any("sequential" in str(f.get("message", "")) for f in findings)


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



def print_table(rows: list[dict]) -> None:
    """One line per function and size: whether it was rewritten, is equivalent (at that size, where
    checked there) and jits end to end, then the milliseconds; its notes below."""
    header = (f"{'program':<26} {'function':<24} {'size':<5} {'rewr':>4} {'equiv':>5} {'e2e':>3} {'orig ms':>8} "
              f"{'numba':>8} {'called':>8} {'jitted':>8} {'ref':>8} {'compile':>8} {'speedup':>8}")
    print(header)
    print("-" * len(header))
    for row in rows:
        start = f"{row['program']:<26} {row['function']:<24}"
        for label in (label for label in SIZES if label in row["sizes"]):
            c = row["sizes"][label]
            numba = format_ms(c["numba_ms"]) if c["numba_ms"] is not None else "n/a"
            speedup = c["original_ms"] / c["jitted_ms"] if c["jitted_ms"] else None
            print(f"{start} {label:<5} {_flags(row, c.get('equivalent', row['equivalent']))} "
                  f"{format_ms(c['original_ms']):>8} {numba:>8} {format_called(c):>8} {format_ms(c['jitted_ms']):>8} "
                  f"{format_ms(c.get('reference_ms')):>8} {format_ms(c['compile_ms']):>8} "
                  f"{f'{speedup:.1f}x' if speedup else '-':>8}")
        if not row["sizes"]:
            print(f"{start} {'-':<5} {_flags(row, row['equivalent'])}")
        print_notes(row)


def _flags(row: dict, equivalent: bool) -> str:
    return (f"{'yes' if row['rewritten'] else 'no':>4} {'yes' if equivalent else 'no':>5} "
            f"{'yes' if row['jits'] else 'no':>3}")


def print_notes(row: dict) -> None:
    """Under a row: its blocker, why it is not equivalent (at the example sizes, at the working size)
    and why numba could not compile the original."""
    work = row["sizes"].get("work", {})
    if not row["jits"]:
        print(f"{'':<28}blocker: {row['blocker'][:110]}")
    elif not row["equivalent"] and row.get("note"):
        print(f"{'':<28}not equivalent: {row['note'][:100]}")
    if work.get("equivalent") is False:
        print(f"{'':<28}not equivalent at the working size: {work['equivalence_note'][:80]}")
    for note in {c["numba_note"] for c in row["sizes"].values() if c["numba_note"] and c["numba_note"] != "n/a"}:
        print(f"{'':<28}numba {note[:110]}")


FAR_BEHIND_REFERENCE = 0.3  # issue 13: no rewrite below this share of the reference's speed without a finding


def row_name(row: dict) -> str:
    return f"{row['program']}.{row['function']}"


def trusted(row: dict, label: str) -> bool:
    """A timing worth a median: the rewrite is equivalent under jit (at the working size, there too)
    and runs end to end under jit."""
    columns = row["sizes"].get(label)
    return bool(columns and row["equivalent"] and row["jits"] and columns.get("equivalent", True)
                and columns["jitted_ms"])


def _median(values: list) -> float | None:
    values = [v for v in values if v]
    return statistics.median(values) if values else None


def versus_reference(columns: dict) -> float | None:
    """Reference time / rewrite time: 1.0 is as fast as hand-written JAX, 0.5 twice as slow."""
    if not (columns.get("reference_ms") and columns["jitted_ms"]):
        return None
    return columns["reference_ms"] / columns["jitted_ms"]


def by_size(rows: list[dict]) -> dict[str, dict]:
    """Per size: how many functions were timed and trusted, the median speedup of the jitted rewrite
    over the original, the median reference/rewrite and the median speedup under numba."""
    summary = {}
    for label in SIZES:
        timed = [row for row in rows if label in row["sizes"]]
        good = [row["sizes"][label] for row in timed if trusted(row, label)]
        numba = [row["sizes"][label] for row in timed if row["sizes"][label]["numba_ms"]]
        summary[label] = {
            "timed": len(timed), "trusted": len(good), "numba_compiled": len(numba),
            "median_speedup": _median([c["original_ms"] / c["jitted_ms"] for c in good]),
            "median_reference_over_rewrite": _median([versus_reference(c) for c in good]),
            "median_numba_speedup": _median([c["original_ms"] / c["numba_ms"] for c in numba]),
        }
    return summary


def headline_size(row: dict) -> str:
    """The size a row's done-when figures are read at: the working size, else the largest example."""
    return DONE_WHEN_SIZE if DONE_WHEN_SIZE in row["sizes"] else "large"


def summarize(rows: list[dict]) -> dict:
    """The speed summary both benchmarks print: medians per size, the crossover at the small size,
    rewrites far behind the reference, rewrites not equivalent at the working size, and rewrites
    slower than their original as called (issue 12: never slower) without a finding saying so."""
    far_behind = [row for row in rows if trusted(row, headline_size(row))
                  and versus_reference(row["sizes"][headline_size(row)]) is not None
                  and versus_reference(row["sizes"][headline_size(row)]) < FAR_BEHIND_REFERENCE]
    changed = [row for row in rows if row["changed"]]  # a function the rewrite left as it was is the original
    return {
        "done_when_size": DONE_WHEN_SIZE,
        "by_size": by_size(rows),
        "jax_slower_at_small_input": [row_name(row) for row in rows if jax_slower_when_small(row)],
        "far_behind_reference": [row_name(row) for row in far_behind],
        "far_behind_reference_without_finding": [row_name(row) for row in far_behind
                                                 if not explains_cost(row["findings"])],
        "not_equivalent_at_work_size": [row_name(row) for row in rows
                                        if row["sizes"].get("work", {}).get("equivalent") is False],
        "slower_as_called": [row_name(row) for row in changed if is_slower(row)],
        "slower_without_finding": [row_name(row) for row in slower_without_finding(changed, lambda r: r["findings"])],
    }


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def print_summary(summary: dict) -> None:
    print("by input size (medians over the functions whose rewrite is equivalent and jits end to end; "
          "at `work`, equivalent there too):")
    print(f"  {'size':<6} {'timed':>5} {'trusted':>7} {'speedup':>8} {'ref/rewrite':>11} {'numba':>8}")
    for label, figures in summary["by_size"].items():
        ratio = figures["median_reference_over_rewrite"]
        print(f"  {label:<6} {figures['timed']:>5} {figures['trusted']:>7} {_times(figures['median_speedup']):>8} "
              f"{'-' if ratio is None else f'{ratio:.2f}':>11} {_times(figures['median_numba_speedup']):>8}")
    done = summary["by_size"][summary["done_when_size"]]
    ratio = done["median_reference_over_rewrite"]
    print(f"done-when figures (issues 12, 13) are read at `{summary['done_when_size']}`, the working sizes of "
          f"{BENCHMARK_EXAMPLES_FUNCTION}(): median speedup of the jitted rewrite over the original "
          f"{_times(done['median_speedup'])} (target 40x); median reference/rewrite "
          f"{'-' if ratio is None else f'{ratio:.2f}'} (target 0.9)")
    for key, label in (
            ("jax_slower_at_small_input", "JAX slower than NumPy at the small input (crossover)"),
            ("far_behind_reference", f"rewrite under {FAR_BEHIND_REFERENCE}x the reference's speed "
                                     f"(at `work`, else `large`)"),
            ("far_behind_reference_without_finding", "  of which without a finding that explains the cost"),
            ("not_equivalent_at_work_size", "not equivalent under jit at the working size"),
            ("slower_as_called", "slower than the original as called (NumPy arguments)"),
            ("slower_without_finding", "  of which without a finding that says so")):
        names = summary[key]
        print(f"{label}: {len(names)}" + (f" ({', '.join(names)})" if names else ""))

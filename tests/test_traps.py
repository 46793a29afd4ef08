"""Code that only looks like array code (``corpus/traps/``), before and after ``jaxify --apply``.

Each trap module has a twin in ``corpus/traps/calls/`` whose ``trap_calls(module)`` lists calls
that make a difference visible. The traps are copied, rewritten with ``jaxify --apply`` and with
``jaxify --apply --unsafe``, and every call runs on the original and on both rewrites, each in its
own subprocess. Results and the arguments' state afterwards are compared exactly: type, dtype,
shape and every value (``repr`` of each element, so ``-0.0``, NaN and the last bit count).

One type difference is the documented contract of every conversion, not a change: a NumPy array
and a jax array (and a NumPy scalar and a 0-d jax array) compare as the same kind of value. What a
function does with them inside (formatting, ``isinstance``, writing) is compared exactly.

- Default mode: no difference at all.
- ``--unsafe``: every difference is in a function whose rewrite (or the rewrite of a module
  function it calls) carries an unsafe finding, whose stated assumption is what the call breaks.

Run as a script (``python tests/test_traps.py DIR``) it prints one JSON line per call: the
subprocess side of the comparison.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRAPS = REPO / "corpus" / "traps"
NAMES = sorted(path.stem for path in TRAPS.glob("*.py"))
JAXIFY = [sys.executable, "-m", "jaxify"]
RUN_LIMIT_S = 600
CALL_LIMIT_S = 30  # a call still running after this is a hang (a loop NumPy ended with IndexError)
# Traps the rewrite still gets wrong, with the cause; strict, so a fix turns them into failures
# that ask for the entry to go.
KNOWN_DEFAULT: dict[str, str] = {}
KNOWN_UNSAFE: dict[str, str] = {}


# -- the subprocess side: run every call, describe what came back -------------------------------


def describe(value, depth: int = 0):
    """A JSON-able description that two values share only if they are the same to a caller."""
    import numpy as np

    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if depth > 6:
        return [name, "..."]
    if isinstance(value, np.ma.MaskedArray):
        return ["masked", str(value.dtype), list(value.shape), repr(value.data.tolist()),
                repr(np.ma.getmaskarray(value).tolist()), repr(value.fill_value)]
    if _is_array(value):
        array = np.asarray(value)
        # NumPy's ndarray and a jax Array are one kind of value (the conversion's contract); so
        # are a NumPy scalar and a 0-d jax array. Subclasses (np.matrix, np.memmap) are not.
        label = "array" if kind is np.ndarray or kind.__module__.startswith("jax") else name
        if isinstance(value, np.generic):
            label = "array"
        return [label, array.dtype.str, list(array.shape), repr(array.tolist())]
    if isinstance(value, (list, tuple)):
        return [name, [describe(item, depth + 1) for item in value]]
    if isinstance(value, dict):
        return [name, [[describe(k, depth + 1), describe(v, depth + 1)] for k, v in value.items()]]
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        return [name, repr(value)]
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict):
        return [name, describe(state, depth + 1)]
    return [name, repr(value)]


def _is_array(value) -> bool:
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):
        return True
    module = type(value).__module__
    return module.startswith(("jax", "jaxlib")) and hasattr(value, "dtype") and hasattr(value, "shape")


def _import(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_folder(folder: Path, skip: set[str]) -> None:
    """Print, per call, a "start" line and then its outcome (a hang leaves only the start)."""
    import os
    import threading
    import warnings

    warnings.simplefilter("ignore")
    for path in sorted(folder.glob("*.py")):
        try:
            module = _import(path, f"trap_{path.stem}")
            calls = _import(folder / "calls" / path.name, f"trap_calls_{path.stem}").trap_calls(module)
        except Exception as error:  # an import that fails is an outcome too
            print(json.dumps({"key": f"{path.stem}:import", "outcome": ["raises", type(error).__name__]}), flush=True)
            continue
        for index, (function, args, kwargs) in enumerate(calls):
            key = f"{path.stem}:{index}:{function}"
            if key in skip:
                print(json.dumps({"key": key, "outcome": ["timeout"]}), flush=True)
                continue
            print(json.dumps({"key": key, "start": True}), flush=True)
            watchdog = threading.Timer(CALL_LIMIT_S, os._exit, (3,))
            watchdog.start()
            try:
                result = describe(getattr(module, function)(*args, **kwargs))
            except Exception as error:
                result = ["raises", type(error).__name__]
            watchdog.cancel()
            after = [describe(arg) for arg in args] + [describe(v) for v in kwargs.values()]
            print(json.dumps({"key": key, "outcome": result, "arguments_after": after}), flush=True)


def outcomes_of(folder: Path) -> dict[str, dict]:
    """Run every trap call of ``folder`` in a subprocess; a call that hangs is recorded as such."""
    skip: set[str] = set()
    while True:
        try:
            done = subprocess.run(
                [sys.executable, __file__, str(folder), *skip], capture_output=True, text=True,
                timeout=RUN_LIMIT_S, cwd=folder,
            )
            lines = done.stdout
        except subprocess.TimeoutExpired as expired:
            lines = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
            done = None
        records = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
        results = {r["key"]: r for r in records if "start" not in r}
        hung = [r["key"] for r in records if "start" in r and r["key"] not in results]
        if done is not None and not hung:
            return results
        if not hung:
            raise AssertionError(f"trap run in {folder} stopped before its first call")
        skip.add(hung[0])


# -- the pytest side ------------------------------------------------------------------------------


def _apply(folder: Path, flags: list[str]) -> list[dict]:
    done = subprocess.run(
        [*JAXIFY, str(folder), "--apply", "--format", "json", "--jobs", "1", *flags],
        capture_output=True, text=True, timeout=900, cwd=folder,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)["findings"]


@pytest.fixture(scope="module")
def trap_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("traps")
    runs = {}
    for mode, flags in (("original", None), ("default", []), ("unsafe", ["--unsafe"])):
        folder = base / mode
        shutil.copytree(TRAPS, folder)
        findings = _apply(folder, flags) if flags is not None else []
        runs[mode] = (outcomes_of(folder), findings)
    return runs


def _calls_of(name: str, outcomes: dict[str, dict]) -> dict[str, dict]:
    return {key: value for key, value in outcomes.items() if key.split(":")[0] == name}


def _differences(name: str, runs, mode: str) -> list[str]:
    original = _calls_of(name, runs["original"][0])
    rewritten = _calls_of(name, runs[mode][0])
    assert original, f"{name}: no calls ran"
    found = []
    for key, before in original.items():
        after = rewritten.get(key)
        if after is None or (before.get("outcome"), before.get("arguments_after")) != (
            after.get("outcome"), after.get("arguments_after")
        ):
            found.append(f"{key}: {before.get('outcome')} -> {after and after.get('outcome')}; arguments "
                         f"{before.get('arguments_after')} -> {after and after.get('arguments_after')}")
    return found


def _reached_functions(name: str, function: str) -> set[str]:
    """``function`` and every function of the same trap module it calls, directly or not."""
    tree = ast.parse((TRAPS / f"{name}.py").read_text(encoding="utf-8"))
    defs = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    reached, pending = set(), [function]
    while pending:
        current = pending.pop()
        if current in reached or current not in defs:
            continue
        reached.add(current)
        pending += [n.id for n in ast.walk(defs[current]) if isinstance(n, ast.Name) and n.id in defs]
        pending += [n.attr for n in ast.walk(defs[current]) if isinstance(n, ast.Attribute) and n.attr in defs]
    return reached


def _unsafe_lines(name: str, findings: list[dict]) -> set[int]:
    return {f["line"] for f in findings if Path(f["path"]).name == f"{name}.py" and f["unsafe_applied"]}


def _explained(name: str, difference: str, findings: list[dict]) -> bool:
    function = difference.split(":")[2]
    tree = ast.parse((TRAPS / f"{name}.py").read_text(encoding="utf-8"))
    spans = [
        (node.lineno, node.end_lineno) for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in _reached_functions(name, function)
    ]
    return any(lo <= line <= hi for line in _unsafe_lines(name, findings) for lo, hi in spans)


def _known(name: str, known: dict[str, str]):
    if name in known:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=known[name]))
    return name


def test_there_are_at_least_forty_traps():
    assert len(NAMES) >= 40
    for name in NAMES:
        assert (TRAPS / "calls" / f"{name}.py").is_file(), f"{name} has no calls module"


@pytest.mark.parametrize("name", [_known(n, KNOWN_DEFAULT) for n in NAMES])
def test_default_apply_changes_nothing_a_caller_sees(trap_runs, name):
    differences = _differences(name, trap_runs, "default")
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", [_known(n, KNOWN_UNSAFE) for n in NAMES])
def test_unsafe_differences_are_stated_assumptions(trap_runs, name):
    findings = trap_runs["unsafe"][1]
    unexplained = [d for d in _differences(name, trap_runs, "unsafe") if not _explained(name, d, findings)]
    assert not unexplained, "\n".join(unexplained)


def test_the_comparison_sees_type_dtype_and_argument_changes():
    import numpy as np

    assert describe(np.float64(1.0)) == describe(np.array(1.0))
    assert describe(1.0) != describe(np.float64(1.0))
    assert describe(np.zeros(2, dtype=np.float32)) != describe(np.zeros(2))
    assert describe(np.ma.masked_array([1.0], mask=[True])) != describe(np.array([1.0]))
    assert describe([1.0, 2.0]) != describe(np.array([1.0, 2.0]))
    assert describe(np.array([0.0])) != describe(np.array([-0.0]))


if __name__ == "__main__":
    run_folder(Path(sys.argv[1]), set(sys.argv[2:]))

"""A library's own test suite as the judge of jaxify's rewrite of it.

    python3 benchmarks/suites.py CHECKOUT... [--json out.json] [--timeout S] [--mode NAME ...]

For each checkout (a folder with a Python package and its pytest suite), the suite runs once on
the original sources; then, for each mode, the checkout is copied, ``jaxify --apply`` (with the
mode's flags) rewrites its sources (never its tests: ``test_*.py``, ``*_test.py``,
``conftest.py`` and folders named ``test``/``tests``/``testing``), and the unchanged suite runs
again from the rewritten copy. Printed per checkout and mode:

    passing before     tests that passed on the original sources
    still passing      of those, tests that pass after the rewrite
    newly failing      of those, tests that fail or error after it
    codes              rule codes of the fixes applied in the files the failures' tracebacks name
    files changed      source files the rewrite changed
    suite time         wall time of the suite after / before
    jaxify s           wall time of the rewrite (--file-timeout is the whole run's, so no file is skipped for load)

Modes: ``default`` (safe fixes only), ``assume-numeric-inputs``, ``verified`` (``--require
verified --capture "<the suite>"``) and ``verified-assume-numeric`` (both: numeric inputs are
assumed, and a function is written only where the suite's own calls verify that assumption); the
last two run only where the installed jaxify has ``--require``.
The suite runs with the Python running this script (which must have jaxify, jax and pytest) and the
copy first on ``sys.path``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

MODES = {
    "default": [],
    "assume-numeric-inputs": ["--assume-numeric-inputs"],
    "verified": ["--require", "verified", "--capture", "{suite}"],
    # the input contract declared, and checked: only what the suite's own calls verify is written
    "verified-assume-numeric": ["--assume-numeric-inputs", "--require", "verified", "--capture", "{suite}"],
}
_TEST_DIRS = frozenset({"test", "tests", "testing"})
_SKIPPED_DIRS = frozenset({".git", "build", "dist", "doc", "docs", "__pycache__", ".tox", ".venv", "venv"})


def is_test_file(path: Path) -> bool:
    return (
        path.name.startswith("test_") or path.name.endswith("_test.py") or path.name == "conftest.py"
        or bool(_TEST_DIRS & set(path.parts[:-1]))
    )


def source_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if _SKIPPED_DIRS & set(relative.parts) or relative.name == "setup.py" or is_test_file(relative):
            continue
        found.append(relative)
    return found


def run_suite(root: Path, timeout: float) -> tuple[dict[str, str], dict[str, str], float]:
    """(test id -> passed/failed/skipped, test id -> failure text, seconds) for the suite in ``root``."""
    report = root / ".suite-report.xml"
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), str(root / "src")]),
                      PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
               "-o", "addopts=", "--continue-on-collection-errors", "--ignore=doc", "--ignore=docs", "--ignore=setup.py"]
    start = time.perf_counter()
    try:
        subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    seconds = time.perf_counter() - start
    outcomes: dict[str, str] = {}
    failures: dict[str, str] = {}
    if not report.exists():
        return outcomes, failures, seconds
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            outcomes[test] = "failed"
            failures[test] = (problem.get("message") or "") + "\n" + (problem.text or "")
        elif case.find("skipped") is not None:
            outcomes[test] = "skipped"
        else:
            outcomes[test] = "passed"
    report.unlink()
    return outcomes, failures, seconds


def apply_jaxify(root: Path, flags: list[str], timeout: float) -> tuple[list[dict], list[str], float]:
    """Rewrite the sources of ``root`` in place; (findings, changed files, seconds)."""
    files = [str(path) for path in source_files(root)]
    if not files:
        return [], [], 0.0
    start = time.perf_counter()
    # a file skipped by jaxify's own per-file limit (60 s) would make the figures depend on the
    # machine's load: each file may take as long as the whole rewrite
    done = subprocess.run(
        [sys.executable, "-m", "jaxify", *files, "--apply", "--format", "json", "--no-diff",
         "--file-timeout", str(timeout), *flags],
        cwd=root, capture_output=True, text=True, timeout=timeout,
    )
    seconds = time.perf_counter() - start
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"jaxify failed in {root}: {done.stderr[-2000:]}") from None
    changed = [entry["path"] for entry in document["files"] if entry["changed"]]
    return document["findings"], changed, seconds


def codes_involved(failures: list[str], findings: list[dict]) -> list[str]:
    """Codes of applied fixes in the source files the failure tracebacks name."""
    applied = [f for f in findings if f["status"] == "fixed"]
    codes = set()
    for text in failures:
        named = set(re.findall(r"([\w./\\-]+\.py)", text))
        for finding in applied:
            if any(name.endswith(finding["path"]) or finding["path"].endswith(name) for name in named):
                codes.add(finding["code"])
    return sorted(codes)


def supports_require() -> bool:
    done = subprocess.run([sys.executable, "-m", "jaxify", "fix", "--help"], capture_output=True, text=True)
    return "--require" in done.stdout


def measure(checkout: Path, modes: list[str], timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="jaxify-suite-") as scratch:
        original = Path(scratch) / "original"
        shutil.copytree(checkout, original, ignore=shutil.ignore_patterns(".git"))
        before, _, before_seconds = run_suite(original, timeout)
        passing = {test for test, outcome in before.items() if outcome == "passed"}
        result = {"checkout": str(checkout), "tests": len(before), "passing_before": len(passing),
                  "suite_seconds": round(before_seconds, 1), "modes": {}}
        for mode in modes:
            if mode.startswith("verified") and not supports_require():
                result["modes"][mode] = {"skipped": "this jaxify has no --require"}
                continue
            copy = Path(scratch) / mode
            shutil.copytree(original, copy)
            suite = f"{sys.executable} -m pytest -q -p no:cacheprovider"
            flags = [flag.replace("{suite}", suite) for flag in MODES[mode]]
            findings, changed, jaxify_seconds = apply_jaxify(copy, flags, timeout)
            after, failures, after_seconds = run_suite(copy, timeout)
            broken = sorted(test for test in passing if after.get(test) != "passed")
            result["modes"][mode] = {
                "still_passing": len(passing) - len(broken),
                "newly_failing": len(broken),
                "newly_failing_tests": broken[:20],
                "codes": codes_involved([failures.get(test, "") for test in broken], findings),
                "files_changed": len(changed),
                "fixes_applied": sum(f["status"] == "fixed" for f in findings),
                "suite_time_ratio": round(after_seconds / before_seconds, 2) if before_seconds else None,
                "jaxify_seconds": round(jaxify_seconds, 1),
            }
        return result


def print_table(results: list[dict]) -> None:
    header = f"{'checkout':<16} {'mode':<22} {'before':>6} {'still':>6} {'newly failing':>13} {'files':>5} " \
             f"{'fixes':>5} {'time x':>6} {'jaxify s':>8}  codes"
    print(header)
    print("-" * len(header))
    for result in results:
        name = Path(result["checkout"]).name
        for mode, row in result["modes"].items():
            if "skipped" in row:
                print(f"{name:<16} {mode:<22} {result['passing_before']:>6}  ({row['skipped']})")
                continue
            print(f"{name:<16} {mode:<22} {result['passing_before']:>6} {row['still_passing']:>6} "
                  f"{row['newly_failing']:>13} {row['files_changed']:>5} {row['fixes_applied']:>5} "
                  f"{row['suite_time_ratio'] or 0:>6} {row['jaxify_seconds']:>8}  {','.join(row['codes'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per suite run and per rewrite")
    parser.add_argument("--mode", action="append", choices=sorted(MODES), help="modes to run (default: all)")
    args = parser.parse_args(argv)
    results = [measure(checkout.resolve(), args.mode or list(MODES), args.timeout) for checkout in args.checkouts]
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

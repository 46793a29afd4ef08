"""Benchmark jaxify on its corpus: how much it rewrites, whether the rewrites hold, how fast they run.

    python3 benchmarks/corpus.py [--json out.json] [--unsafe] [--jit] [--only NAME ...] [--timeout S]

For every function of every ``corpus/programs/*.py`` (a *case*), the program is rewritten by the
jaxify pipeline and each rewritten function is verified on its example inputs in an isolated
process, which also times the original, the jitted rewrite and the hand-written reference
(``corpus/references/``) there, on the same inputs and device. Printed and written as JSON:

    cases              functions in the corpus
    rewritten          functions whose source the rewrite changed
    runs               rewritten functions whose verification ran to the end (no crash, no hang)
    equivalent         rewritten functions proven or verified equivalent to the original
    jit-compatible     rewritten functions that ran under jax.jit
    median speedup     original time / jitted rewrite time (the rewrites that are equivalent)
    median vs reference  reference time / rewrite time: 1.0 is as fast as hand-written JAX

Then, per function of the ``loop_`` and ``cond_`` programs: whether it was rewritten, is equivalent,
and **runs end to end under jax.jit** (the whole function, with the static argnames jaxify
inferred, or through the jit wrapper the rewrite made), else its first blocker (the first finding
not fixed, else the jit error). Every rewritten function of the corpus is also timed in this
process (see speed.py): the original, the original under numba.njit (the ``bench`` extra), the
rewrite as legacy callers call it, the jitted rewrite and the reference, on the largest and the
smallest example and at the working size an examples module declares in
``jaxify_benchmark_examples()`` (``work``; the loop_/cond_ programs do), compile time apart. The
summary gives the share of loop_/cond_ functions rewritten, equivalent and jitting end to end (the
target is 90%), the medians per size (the done-when figures are read at ``work``), the crossover
(functions JAX runs slower at their small input), the rewrites far behind the reference and those
slower than their original as called without a finding that says so (never slower).
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # noqa: E402
from jaxify.config import Options  # noqa: E402
from jaxify.engine import rewrite_text  # noqa: E402
from jaxify.verify.functions import changed_functions  # noqa: E402
from jaxify.verify.samples import declared_examples  # noqa: E402
from jaxify.verify.session import VerifySettings, verify_source  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MEASURED_FAMILIES = ("loop_", "cond_")  # whose every function gets the end-to-end jit column
TARGET_SHARE = 0.9


def program_functions(path: Path) -> list[str]:
    return [n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)]


def run_program(path: Path, options: Options, settings: VerifySettings) -> dict:
    text = path.read_text(encoding="utf-8")
    result = rewrite_text(text, str(path), options)
    row = {"program": path.stem, "cases": len(program_functions(path)), "functions": [], "findings": [],
           "rewrite_failed": result.failed}
    if result.rewritten is None:
        row["speed"] = measure_speed(path, text, result, options, [])
        return row
    report = verify_source(text, result.rewritten, path, options, settings,
                           examples=CORPUS / "examples" / path.name, reference=CORPUS / "references" / path.name,
                           findings=result.findings)
    row["device"] = report.device
    row["findings"] = report.findings
    row["functions"] = report.functions
    row["speed"] = measure_speed(path, text, result, options, report.functions)
    return row


def measure_speed(path: Path, text: str, result, options: Options, verified: list[dict]) -> list[dict]:
    """Per function (every one of a loop_/cond_ program, the rewritten ones elsewhere): end-to-end
    jit with its blocker, and the speed columns of each rewritten function."""
    import jax

    jax.config.update("jax_enable_x64", True)  # the legacy programs compute in float64
    rewritten_text = result.rewritten or text
    inferred = {f.name: f.static_argnames for f in changed_functions(text, rewritten_text, options)}
    evidence = {f["function"]: f["evidence"] for f in verified}
    spans = speed.function_spans(text)
    names = list(spans) if path.stem.startswith(MEASURED_FAMILIES) else list(inferred)
    try:
        examples = speed.load((CORPUS / "examples" / path.name).read_text(encoding="utf-8"),
                              f"{path.stem}_bench_examples")
        calls, declared = declared_examples(examples)
        work = speed.benchmark_examples(examples)
        modules = {"original": speed.load(text, f"{path.stem}_bench_original"),
                   "rewritten": speed.load(rewritten_text, f"{path.stem}_bench_rewritten"),
                   "reference": speed.load((CORPUS / "references" / path.name).read_text(encoding="utf-8"),
                                           f"{path.stem}_bench_reference")}
        modules["numba"], numba_note = speed.numba_module(text, f"{path.stem}_bench_numba")
    except Exception as error:  # an api_ program written against APIs the installed libraries removed
        return [{"program": path.stem, "function": name, "rewritten": name in inferred, "changed": name in inferred,
                 "equivalent": evidence.get(name) in EQUIVALENT, "jits": False,
                 "blocker": f"not run: {type(error).__name__}: {error}"[:200], "sizes": {}, "findings": []}
                for name in names]
    rows = []
    for name in names:
        findings = speed.findings_within(result.findings, spans[name])
        row = {"program": path.stem, "function": name, "rewritten": name in inferred, "changed": name in inferred,
               "equivalent": evidence.get(name) in EQUIVALENT, "findings": findings, "jits": False, "blocker": "",
               "sizes": {}}
        if row["rewritten"] and calls.get(name):
            try:
                row.update(speed.measure(name, modules, calls[name], inferred[name], declared, work.get(name, ())))
            except Exception as error:  # the measurement of one function must not end the benchmark
                row["blocker"] = f"not measured: {type(error).__name__}: {error}"[:200]
            for columns in row["sizes"].values():
                columns["numba_note"] = columns["numba_note"] or numba_note
        if not row["jits"]:
            row["blocker"] = (speed.first_blocker(findings) or row["blocker"]
                              or "not rewritten (no finding: nothing jaxify changes)")
        rows.append(row)
    return rows


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


EQUIVALENT = ("proven", "verified")


def summarize(rows: list[dict]) -> dict:
    functions = [f for row in rows for f in row["functions"]]
    equivalent = [f for f in functions if f["evidence"] in EQUIVALENT]
    ran = [f for f in functions if not any(x.get("kind") in ("isolation", "error") for x in f["findings"])]
    jit_ok = [f for f in ran if f.get("inputs") and not any(x.get("kind") == "jit" for x in f["findings"])]
    speedups = [f["speedup"] for f in equivalent if f.get("speedup")]
    versus_reference = [f["reference_ms"] / f["jitted_ms"] for f in equivalent
                        if f.get("reference_ms") and f.get("jitted_ms")]
    return {
        "programs": len(rows),
        "cases": sum(row["cases"] for row in rows),
        "rewritten": len(functions),
        "runs": len(ran),
        "equivalent": len(equivalent),
        "jit_compatible": len(jit_ok),
        "median_speedup": _median(speedups),
        "median_vs_reference": _median(versus_reference),
        "device": ", ".join(sorted({row["device"] for row in rows if row.get("device")})) or None,
        **summarize_speed(rows),
    }


def summarize_speed(rows: list[dict]) -> dict:
    family = [f for row in rows if row["program"].startswith(MEASURED_FAMILIES) for f in row.get("speed", [])]
    good = [f for f in family if f["rewritten"] and f["equivalent"] and f["jits"]]
    return {
        "family_functions": len(family),
        "family_rewritten_equivalent_jitting": len(good),
        "family_share": len(good) / len(family) if family else None,
        **speed.summarize([f for row in rows for f in row.get("speed", [])]),
    }


def _format(value) -> str:
    return "-" if value is None else (f"{value:.2f}x" if isinstance(value, float) else str(value))


def print_table(rows: list[dict], totals: dict) -> None:
    header = f"{'program':<28} {'cases':>5} {'rewritten':>9} {'equivalent':>10} {'speedup':>9} {'vs ref':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        equivalent = [f for f in row["functions"] if f["evidence"] in ("proven", "verified")]
        speed = _median([f["speedup"] for f in equivalent if f.get("speedup")])
        ref = _median([f["reference_ms"] / f["jitted_ms"] for f in equivalent
                       if f.get("reference_ms") and f.get("jitted_ms")])
        print(f"{row['program']:<28} {row['cases']:>5} {len(row['functions']):>9} {len(equivalent):>10} "
              f"{_format(speed):>9} {_format(ref):>8}")
    print()
    print(f"cases rewritten: {totals['rewritten']} of {totals['cases']} (in {totals['programs']} programs)")
    print(f"runs: {totals['runs']}   equivalent: {totals['equivalent']}   jit-compatible: {totals['jit_compatible']}")
    print(f"median speedup over the original: {_format(totals['median_speedup'])}")
    print(f"median speed of the rewrite relative to the hand-written reference: "
          f"{_format(totals['median_vs_reference'])}")
    print(f"device: {totals['device'] or 'not started (nothing was rewritten)'}")


def print_speed_table(rows: list[dict], totals: dict) -> None:
    print()
    speed.print_table([f for row in rows for f in row.get("speed", [])])
    print()
    share = totals["family_share"]
    print(f"loop_/cond_ functions rewritten, equivalent and jitting end to end: "
          f"{totals['family_rewritten_equivalent_jitting']} of {totals['family_functions']}"
          f" ({'-' if share is None else f'{100 * share:.0f}%'}; target {100 * TARGET_SHARE:.0f}%)")
    speed.print_summary(totals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--unsafe", action="store_true", help="rewrite with --unsafe")
    parser.add_argument("--jit", action="store_true", help="rewrite with --jit")
    parser.add_argument("--only", nargs="*", help="program names (default: the whole corpus)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per program")
    args = parser.parse_args(argv)
    # jit=None is jaxify's default (converted functions are jitted); False would be --no-jit
    options = Options(unsafe=args.unsafe, jit=True if args.jit else None)
    settings = VerifySettings(hypothesis=0, timeout=args.timeout)
    paths = sorted((CORPUS / "programs").glob("*.py"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    rows = []
    for path in paths:
        print(f"  {path.stem} ...", file=sys.stderr, flush=True)
        rows.append(run_program(path, options, settings))
    totals = summarize(rows)
    print_table(rows, totals)
    print_speed_table(rows, totals)
    if args.json:
        args.json.write_text(json.dumps({"summary": totals, "programs": rows}, indent=2, default=str),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
from pathlib import Path

from jaxify.config import Options
from jaxify.engine import rewrite_text
from jaxify.verify.session import VerifySettings, verify_source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def program_functions(path: Path) -> list[str]:
    return [n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)]


def run_program(path: Path, options: Options, settings: VerifySettings) -> dict:
    text = path.read_text(encoding="utf-8")
    result = rewrite_text(text, str(path), options)
    row = {"program": path.stem, "cases": len(program_functions(path)), "functions": [], "findings": [],
           "rewrite_failed": result.failed}
    if result.rewritten is None:
        return row
    report = verify_source(text, result.rewritten, path, options, settings,
                           examples=CORPUS / "examples" / path.name, reference=CORPUS / "references" / path.name)
    row["device"] = report.device
    row["findings"] = report.findings
    row["functions"] = report.functions
    return row


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(rows: list[dict]) -> dict:
    functions = [f for row in rows for f in row["functions"]]
    equivalent = [f for f in functions if f["evidence"] in ("proven", "verified")]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--unsafe", action="store_true", help="rewrite with --unsafe")
    parser.add_argument("--jit", action="store_true", help="rewrite with --jit")
    parser.add_argument("--only", nargs="*", help="program names (default: the whole corpus)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per program")
    args = parser.parse_args(argv)
    options = Options(unsafe=args.unsafe, jit=args.jit)
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
    if args.json:
        args.json.write_text(json.dumps({"summary": totals, "programs": rows}, indent=2, default=str),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

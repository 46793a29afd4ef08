"""How the loop rewrites (JX3xx) do on the corpus's loop programs, measured in one run.

    python3 benchmarks/loops.py [--unsafe] [--only NAME ...] [--json out.json]

For every ``corpus/programs/loop_*.py`` the program goes through the whole jaxify pipeline. Every
function of it that holds a loop is then checked and timed on its example inputs
(``corpus/examples/``), in this process:

    rewritten   every loop of the program got a JX3 fix
    equiv@jit   the rewrite under jax.jit computes what the original computes (the checks of
                ``jaxify verify``: random functions by distribution, mutated arguments as outputs)
    e2e jit     the whole rewritten function runs under jax.jit with the static argnames jaxify
                inferred; when not, the first blocker is printed (the finding, else the jit error)
    columns     milliseconds of the original, the original under numba.njit, the rewrite as legacy
                callers call it (NumPy arguments, no jit added), the jitted rewrite and the
                hand-written reference (``corpus/references/``), on the largest example and on the
                smallest; compile time apart (see speed.py)

The summary gives the share of programs rewritten, equivalent under jit and within 1.5x of the
reference, the median speedup of the jitted rewrite over the original, the crossover (functions
JAX runs slower than NumPy at their small input), and every function that, called as before, is
slower than its original without a finding that says so (issue 12: never slower).
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jax  # noqa: E402

import speed  # noqa: E402
from jaxify.config import Options  # noqa: E402
from jaxify.engine import rewrite_text  # noqa: E402
from jaxify.verify.functions import changed_functions  # noqa: E402
from jaxify.verify.samples import declared_examples  # noqa: E402
from jaxify.verify.worker import check_function  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WITHIN = 1.5  # the rewrite is "as fast as hand-written" within this factor of the reference


def loop_functions(text: str) -> list[str]:
    return [
        node.name for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and any(isinstance(n, (ast.For, ast.While)) for n in ast.walk(node))
    ]


def equivalent_under_jit(name: str, original, rewritten, calls, declared: dict, rewritten_file: str) -> tuple[bool, str]:
    job = {"hypothesis": 0, "precision": "keep", "key_name": speed.KEY_NAME, "timing": False, "gradient": False,
           "rewritten": rewritten_file}
    result = check_function(job, {"name": name, "line": 1}, original, rewritten, calls, "examples", declared)
    message = next((f["message"] for f in result["findings"]), "")
    return bool(result["equivalent"]) and result["inputs"] > 0, message


def measure_program(path: Path, options: Options) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    result = rewrite_text(text, str(path), options)
    loop_findings = [f for f in result.findings if f.code.startswith("JX3")]
    all_rewritten = (
        not result.failed and result.rewritten is not None
        and bool(loop_findings) and all(f.status.value == "fixed" for f in loop_findings)
    )
    examples_module = speed.load((CORPUS / "examples" / path.name).read_text(encoding="utf-8"), f"{path.stem}_examples")
    calls, declared = declared_examples(examples_module)
    rewritten_text = result.rewritten or text
    inferred = {f.name: f.static_argnames for f in changed_functions(text, rewritten_text, options)}
    modules = {
        "original": speed.load(text, f"{path.stem}_original"),
        "rewritten": speed.load(rewritten_text, f"{path.stem}_rewritten"),
        "reference": speed.load((CORPUS / "references" / path.name).read_text(encoding="utf-8"),
                                f"{path.stem}_reference"),
    }
    modules["numba"], numba_note = speed.numba_module(text, f"{path.stem}_numba")
    spans = speed.function_spans(text)
    rows = []
    for name in loop_functions(text):
        findings = speed.findings_within(result.findings, spans[name])
        row = {"program": path.stem, "rewritten": all_rewritten and name in inferred, "changed": name in inferred,
               "findings": findings}
        row["equivalent"], row["note"] = equivalent_under_jit(
            name, modules["original"], modules["rewritten"], calls[name], declared, f"<{path.stem}_rewritten>")
        row.update(speed.measure(name, modules, calls[name], inferred.get(name, ()), declared.get(name, ())))
        if not row["jits"]:
            row["blocker"] = speed.first_blocker(findings) or row["blocker"]
        for columns in row["sizes"].values():
            columns["numba_note"] = columns["numba_note"] or numba_note
        rows.append(row)
    return rows


def _ratio(numerator, denominator):
    return numerator / denominator if numerator and denominator else None


def print_table(rows: list[dict]) -> None:
    header = (f"{'program':<26} {'function':<22} {'size':<5} {'rewr':>4} {'equiv':>5} {'e2e':>3} {'orig ms':>8} "
              f"{'numba':>8} {'called':>8} {'jitted':>8} {'ref':>8} {'compile':>8} {'speedup':>8}")
    print(header)
    print("-" * len(header))
    for row in rows:
        for label, c in row["sizes"].items():
            numba = speed.format_ms(c["numba_ms"]) if c["numba_ms"] is not None else "n/a"
            speedup = _ratio(c["original_ms"], c["jitted_ms"])
            print(f"{row['program']:<26} {row['function']:<22} {label:<5} {'yes' if row['rewritten'] else 'no':>4} "
                  f"{'yes' if row['equivalent'] else 'no':>5} {'yes' if row['jits'] else 'no':>3} "
                  f"{speed.format_ms(c['original_ms']):>8} {numba:>8} {speed.format_called(c):>8} "
                  f"{speed.format_ms(c['jitted_ms']):>8} {speed.format_ms(c.get('reference_ms')):>8} "
                  f"{speed.format_ms(row['compile_ms']) if label == 'large' else '':>8} "
                  f"{f'{speedup:.1f}x' if speedup else '-':>8}")
        if not row["jits"]:
            print(f"{'':<28}blocker: {row['blocker'][:110]}")
        elif not row["equivalent"] and row["note"]:
            print(f"{'':<28}not equivalent: {row['note'][:100]}")
        notes = {c["numba_note"] for c in row["sizes"].values() if c["numba_note"] and c["numba_note"] != "n/a"}
        for note in notes:
            print(f"{'':<28}numba {note[:110]}")


def summarize(rows: list[dict]) -> dict:
    by_program: dict[str, list[dict]] = {}
    for row in rows:
        by_program.setdefault(row["program"], []).append(row)
    large = [(row, row["sizes"]["large"]) for row in rows]
    good = [
        name for name, program_rows in by_program.items()
        if all(r["rewritten"] and r["equivalent"] and r["jits"]
               and (_ratio(r["sizes"]["large"]["jitted_ms"], r["sizes"]["large"].get("reference_ms")) or 99) <= WITHIN
               for r in program_rows)
    ]
    equivalent = [(row, c) for row, c in large if row["equivalent"] and row["jits"]]
    speedups = [r for r in (_ratio(c["original_ms"], c["jitted_ms"]) for _, c in equivalent) if r]
    references = [r for r in (_ratio(c["jitted_ms"], c.get("reference_ms")) for _, c in equivalent) if r]
    numba = [_ratio(c["original_ms"], c["numba_ms"]) for _, c in large if c["numba_ms"]]
    slower_small = [f"{row['program']}.{row['function']}" for row in rows if speed.jax_slower_when_small(row)]
    changed = [row for row in rows if row["changed"]]  # a function the rewrite left as it was is the original
    slower = speed.slower_without_finding(changed, lambda row: row["findings"])
    return {
        "programs": len(by_program), "functions": len(rows), "good_programs": len(good),
        "rewritten_equivalent_jitting": sum(r["rewritten"] and r["equivalent"] and r["jits"] for r in rows),
        "median_speedup": statistics.median(speedups) if speedups else None,
        "median_vs_reference": statistics.median(references) if references else None,
        "median_numba_speedup": statistics.median(numba) if numba else None,
        "numba_compiled": len(numba),
        "jax_slower_at_small_input": slower_small,
        "slower_as_called": [f"{r['program']}.{r['function']}" for r in changed if speed.is_slower(r)],
        "slower_without_finding": [f"{r['program']}.{r['function']}" for r in slower],
        "device": str(jax.devices()[0]),
    }


def print_summary(totals: dict) -> None:
    programs = max(totals["programs"], 1)
    print()
    print(f"loop programs: {totals['programs']}; rewritten, equivalent under jit, jitting end to end and within "
          f"{WITHIN}x of the reference: {totals['good_programs']} ({100 * totals['good_programs'] / programs:.0f}%)")
    print(f"loop functions rewritten, equivalent and jitting end to end: {totals['rewritten_equivalent_jitting']} "
          f"of {totals['functions']}")
    if totals["median_speedup"] is not None:
        print(f"median speedup of the jitted rewrite over the original (largest input): "
              f"{totals['median_speedup']:.1f}x")
    if totals["median_vs_reference"] is not None:
        print(f"median rewrite time / reference time: {totals['median_vs_reference']:.2f}")
    numba = totals["median_numba_speedup"]
    print(f"median speedup of the original under numba.njit: {f'{numba:.1f}x' if numba else 'n/a'} "
          f"({totals['numba_compiled']} of {totals['functions']} compiled)")
    print(f"JAX slower than NumPy at the small input (crossover): {len(totals['jax_slower_at_small_input'])}"
          + (f" ({', '.join(totals['jax_slower_at_small_input'])})" if totals["jax_slower_at_small_input"] else ""))
    print(f"slower than the original as called (NumPy arguments): {len(totals['slower_as_called'])}; "
          f"without a finding that says so: {len(totals['slower_without_finding'])}"
          + (f" ({', '.join(totals['slower_without_finding'])})" if totals["slower_without_finding"] else ""))
    print(f"device: {totals['device']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="program names (without .py)")
    parser.add_argument("--unsafe", action="store_true", help="apply unsafe fixes too (as `jaxify --unsafe`)")
    parser.add_argument("--json", type=Path, help="also write the rows and the summary here")
    arguments = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)  # the legacy programs compute in float64
    programs = sorted((CORPUS / "programs").glob("loop_*.py"))
    if arguments.only:
        programs = [p for p in programs if p.stem in arguments.only]
    options = Options(unsafe=arguments.unsafe)
    print(f"jaxify options: {'--unsafe' if arguments.unsafe else 'defaults (safe fixes only)'}")
    rows = []
    for program in programs:
        print(f"  {program.stem} ...", file=sys.stderr, flush=True)
        rows.extend(measure_program(program, options))
    print_table(rows)
    totals = summarize(rows)
    print_summary(totals)
    if arguments.json:
        arguments.json.write_text(json.dumps({"summary": totals, "rows": rows}, indent=2, default=str),
                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

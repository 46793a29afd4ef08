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
                hand-written reference (``corpus/references/``), on the largest example, on the
                smallest, and at the working size the examples declare in
                ``jaxify_benchmark_examples()`` (``work``, where equivalence is checked again);
                compile time apart (see speed.py)

The summary gives the share of programs rewritten, equivalent under jit and within 1.5x of the
reference (at the working size), then per size the median speedup of the jitted rewrite over the
original, the median reference/rewrite and the median speedup under numba; the done-when figures
of issues 12 and 13 are read at ``work``. Then the crossover (functions JAX runs slower than NumPy
at their small input), the rewrites far behind the reference, and every function that, called as
before, is slower than its original without a finding that says so (issue 12: never slower).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jax  # noqa: E402

import speed  # noqa: E402
from jaxify.config import Options  # noqa: E402
from jaxify.engine import rewrite_text  # noqa: E402
from jaxify.verify.functions import changed_functions  # noqa: E402
from jaxify.verify.samples import declared_examples  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WITHIN = 1.5  # the rewrite is "as fast as hand-written" within this factor of the reference


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
    work = speed.benchmark_examples(examples_module)
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
    for name in speed.loop_functions(text):
        findings = speed.findings_within(result.findings, spans[name])
        row = {"program": path.stem, "rewritten": all_rewritten and name in inferred, "changed": name in inferred,
               "findings": findings}
        row["equivalent"], row["note"] = speed.equivalent_under_jit(name, modules, calls[name], declared)
        row.update(speed.measure(name, modules, calls[name], inferred.get(name, ()), declared, work.get(name, ())))
        if not row["jits"]:
            row["blocker"] = speed.first_blocker(findings) or row["blocker"]
        for columns in row["sizes"].values():
            columns["numba_note"] = columns["numba_note"] or numba_note
        rows.append(row)
    return rows


def summarize(rows: list[dict]) -> dict:
    by_program: dict[str, list[dict]] = {}
    for row in rows:
        by_program.setdefault(row["program"], []).append(row)
    good = [
        name for name, program_rows in by_program.items()
        if all(r["rewritten"] and speed.trusted(r, speed.headline_size(r))
               and (speed.versus_reference(r["sizes"][speed.headline_size(r)]) or 0) >= 1 / WITHIN
               for r in program_rows)
    ]
    return {
        "programs": len(by_program), "functions": len(rows), "good_programs": len(good),
        "rewritten_equivalent_jitting": sum(r["rewritten"] and r["equivalent"] and r["jits"] for r in rows),
        **speed.summarize(rows),
        "device": str(jax.devices()[0]),
    }


def print_summary(totals: dict) -> None:
    programs = max(totals["programs"], 1)
    print()
    print(f"loop programs: {totals['programs']}; rewritten, equivalent under jit, jitting end to end and within "
          f"{WITHIN}x of the reference: {totals['good_programs']} ({100 * totals['good_programs'] / programs:.0f}%)")
    print(f"loop functions rewritten, equivalent and jitting end to end: {totals['rewritten_equivalent_jitting']} "
          f"of {totals['functions']}")
    speed.print_summary(totals)
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
    speed.print_table(rows)
    totals = summarize(rows)
    print_summary(totals)
    if arguments.json:
        arguments.json.write_text(json.dumps({"summary": totals, "rows": rows}, indent=2, default=str),
                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

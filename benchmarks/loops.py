"""How the loop rewrites (JX3xx) do on the corpus's loop programs, measured in one run.

    python3 benchmarks/loops.py [--unsafe] [--only NAME ...]

For every ``corpus/programs/loop_*.py`` the program goes through the whole jaxify pipeline. Every
function of it that holds a loop is then run on its first example input (``corpus/examples/``):
the original (NumPy, as written), the rewrite under ``jax.jit`` and the hand-written reference
(``corpus/references/``) under ``jax.jit``, in this process, on the same inputs (each timed in
three rounds of repeated calls, reference and rewrite interleaved; the fastest round's median
counts). Printed per
function: whether every loop was rewritten, whether the jitted rewrite matches the original,
the speedup (original time / rewrite time) and the ratio to the reference (rewrite time /
reference time: 1.0 is as fast as hand-written JAX). The summary gives the share of programs
rewritten, equivalent under jit and within 1.5x of the reference (the target is 80%), and the
medians over functions.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import types
from pathlib import Path

import jax
import numpy as np

from jaxify.config import Options
from jaxify.engine import rewrite_text
from jaxify.verify.compare import compare
from jaxify.verify.timing import time_calls

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WITHIN = 1.5  # the rewrite is "as fast as hand-written" within this factor of the reference
ROUNDS = 3  # each version is timed this many times, interleaved; the fastest median counts


def best_median_ms(call, fresh_args) -> float:
    """The smallest of ``ROUNDS`` medians: microsecond-scale calls are noisy on a shared machine."""
    return min(time_calls(call, fresh_args)[0] for _ in range(ROUNDS))


def load(text: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    exec(compile(text, module.__file__, "exec"), module.__dict__)
    return module


def loop_functions(text: str) -> list[str]:
    return [
        node.name for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and any(isinstance(n, (ast.For, ast.While)) for n in ast.walk(node))
    ]


def as_jax(args: tuple) -> tuple:
    import jax.numpy as jnp

    return tuple(jnp.asarray(a) if isinstance(a, (np.ndarray, np.generic)) else a for a in args)


def measure_program(path: Path, options: Options) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    result = rewrite_text(text, str(path), options)
    loop_findings = [f for f in result.findings if f.code.startswith("JX3")]
    all_rewritten = (
        not result.failed and result.rewritten is not None
        and bool(loop_findings) and all(f.status.value == "fixed" for f in loop_findings)
    )
    examples = load((CORPUS / "examples" / path.name).read_text(encoding="utf-8"), f"{path.stem}_examples")
    static = getattr(examples, "STATIC_ARGNAMES", {})
    calls = examples.jaxify_examples()
    original = load(text, f"{path.stem}_original")
    reference = load((CORPUS / "references" / path.name).read_text(encoding="utf-8"), f"{path.stem}_reference")
    rewritten = load(result.rewritten, f"{path.stem}_rewritten") if result.rewritten else None
    rows = []
    for name in loop_functions(text):
        args = calls[name][0]
        row = {"program": path.stem, "function": name, "rewritten": all_rewritten, "equivalent": False,
               "speedup": None, "vs_reference": None, "note": ""}
        rows.append(row)
        original_ms = best_median_ms(getattr(original, name), lambda: args)
        reference_fn = jax.jit(getattr(reference, name), static_argnames=static.get(name, ()))
        if rewritten is None:
            row["note"] = "not rewritten"
            continue
        jitted = jax.jit(getattr(rewritten, name), static_argnames=static.get(name, ()))
        try:
            actual = jitted(*as_jax(args))
        except Exception as error:  # a rewrite that does not trace is a result to report, not a crash
            row["note"] = f"{type(error).__name__} under jit"
            continue
        comparison = compare(getattr(original, name)(*args), actual)
        row["equivalent"] = comparison.equal
        row["note"] = comparison.message
        # interleaved rounds: a busy machine slows both versions alike instead of one of them
        rounds = [(time_calls(reference_fn, lambda: as_jax(args))[0], time_calls(jitted, lambda: as_jax(args))[0])
                  for _ in range(ROUNDS)]
        reference_ms, rewrite_ms = min(r[0] for r in rounds), min(r[1] for r in rounds)
        row["speedup"] = original_ms / rewrite_ms
        row["vs_reference"] = rewrite_ms / reference_ms
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="program names (without .py)")
    parser.add_argument("--unsafe", action="store_true", help="apply unsafe fixes too (as `jaxify --unsafe`)")
    arguments = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)  # the legacy programs compute in float64
    programs = sorted((CORPUS / "programs").glob("loop_*.py"))
    if arguments.only:
        programs = [p for p in programs if p.stem in arguments.only]
    options = Options(unsafe=arguments.unsafe)
    print(f"jaxify options: {'--unsafe' if arguments.unsafe else 'defaults (safe fixes only)'}")
    rows = [row for program in programs for row in measure_program(program, options)]
    print(f"{'program':<28} {'function':<22} {'rewritten':>9} {'equiv@jit':>9} {'speedup':>9} {'vs ref':>7}  note")
    for row in rows:
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] is not None else "-"
        ratio = f"{row['vs_reference']:.2f}" if row["vs_reference"] is not None else "-"
        print(f"{row['program']:<28} {row['function']:<22} {str(row['rewritten']):>9} "
              f"{str(row['equivalent']):>9} {speedup:>9} {ratio:>7}  {row['note'][:60]}")
    by_program: dict[str, list[dict]] = {}
    for row in rows:
        by_program.setdefault(row["program"], []).append(row)
    good = [
        name for name, program_rows in by_program.items()
        if all(r["rewritten"] and r["equivalent"] and r["vs_reference"] is not None and r["vs_reference"] <= WITHIN
               for r in program_rows)
    ]
    speedups = [r["speedup"] for r in rows if r["equivalent"]]
    ratios = [r["vs_reference"] for r in rows if r["equivalent"]]
    print()
    print(f"loop programs: {len(by_program)}; rewritten, equivalent under jit and within {WITHIN}x of the "
          f"reference: {len(good)} ({100 * len(good) / max(len(by_program), 1):.0f}%)")
    if speedups:
        print(f"median speedup of the jitted rewrite over the original: {statistics.median(speedups):.1f}x "
              f"(over {len(speedups)} equivalent functions)")
        print(f"median rewrite time / reference time: {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

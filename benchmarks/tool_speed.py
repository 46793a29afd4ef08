"""How fast jaxify itself runs, next to LibCST's own no-op codemod, measured in one run.

    python3 benchmarks/tool_speed.py [--lines 30000] [--tree PATH] [--jobs 2] [--profile-files 5]

On a generated tree of legacy-style modules (``benchmarks/legacy_tree.py``, deterministic; or a
tree you name with ``--tree``, copied first so nothing of yours is written) it times, each as a
separate process at the same ``--jobs``:

- ``jaxify TREE`` (dry run) with an empty cache: the first run;
- the same dry run again: a rerun on the unchanged tree, which reads the cache;
- ``jaxify TREE --apply`` on a copy, with an empty cache;
- ``python -m libcst.tool codemod noop.NOOPCommand -j N`` on a copy: parse and print, nothing else;

and prints the ratios (first dry run / LibCST no-op, rerun / first run), the peak memory of the
largest process of each run (a worker or the main process), and, measured in this process on the
``--profile-files`` largest files that mention numpy or jax, seconds per pipeline stage (parse, metadata, analysis, each
codemod, re-parse per pass, imports, printing, line map, diff, write) and cProfile's heaviest
functions of the slowest file. ``--json FILE`` also writes the figures.

Figures (issue 16), on a shared 2-core machine under a load average of about 7: compare CPU
seconds, which the load moves by about 20%; wall seconds and wall ratios move far more.

    --lines 8000 --jobs 2        before (50f8f31)       after (969deb9)
    first dry run                34.3 s CPU             29.3 s CPU
    rerun, unchanged tree         4.98 s CPU (0.15)      0.32 s CPU (0.01 of the first run)
    libcst no-op                  2.35 s CPU             1.90 s CPU
    first run / no-op            14.6x CPU              15.5x CPU (the no-op's own CPU moved 20%)
    peak memory                   193 MiB                193 MiB; 33 MiB on the rerun (no worker)

    --lines 30000 --jobs 2, after: first dry run 115.6 s CPU (312 s wall), LibCST no-op 5.7 s CPU
    (14.1 s wall): 20.3x CPU, 22.1x wall (the lead measured about 19.5x CPU before, another day);
    rerun 0.41 s CPU, 2.0 s wall: 0.00 / 0.01 of the first run; peak 268 MiB per worker, 35 MiB on
    the rerun. Every file of that tree rewritten in one process (engine.process_file, no cache):
    115.8 s CPU before (682b08c, whose pipeline is 50f8f31's), 87.5 s after (-24%). Stages over
    the 3 largest files: metadata 32%, NumpyNamespace 21%, imports
    (add/remove) 7%, parse 6%, ApiMigration 6%, loops 5%, analysis 5%.

Not reached: the 2x of LibCST's no-op. What remains is one pipeline pass of seven LibCST
transformer walks plus three metadata walks (expression context, scopes, positions) per tree, the
planners' analyses (mutation, the NumPy planner's pinning), and, for a file that changes, the
whole-function gate's extra fixpoints (each at least two passes).

Later, on the same kind of machine (load average about 2 to 4), before (7f471bf) and after the
skipped walks, the linear gate and one parse per text (dc6d879), outputs byte-identical:

    --lines 8000 --jobs 2        before (7f471bf)       after (dc6d879)
    first dry run                31.4 s CPU             16.2 s CPU
    rerun, unchanged tree         0.23 s CPU (0.01)      0.18 s CPU (0.01)
    libcst no-op                  1.55 s CPU             1.42 s CPU
    first run / no-op            20.3x CPU              11.4x CPU
    peak memory                   182 MiB                182 MiB; 33 MiB on the rerun (no worker)

    One generated module (the 8000-line tree's modules in one file, benchmarks' legacy_tree), one
    process, dry run: 96 KB 47.5 s -> 27.0 s CPU, 198 KB 129.0 s -> 48.1 s CPU (peak 670 -> 545
    MiB). Before, twice the size cost 2.7x the time: the gate walked the whole module once per
    function it asked about (who calls it, who writes its result), and the loop codemod matched
    every converted loop of the module against each loop it left; now 1.8x.

What went: a codemod whose plan is empty no longer walks the tree (LibCST rebuilds every node a
transformer passes) and an untouched tree is not printed (``Codemod.rewrites_below``); the NumPy
planner's second plan takes over what does not depend on the declined moves; the mutation
analysis, jax_differences and value classes walk the shared TreeIndex instead of LibCST's
rebuilding walks; a text parsed once in a file's rewrite is not parsed again (``jaxify.parses``:
the fixpoint's confirming pass, the gate's reruns and its jax.jit probe reuse the wrapper, its
metadata and its analysis). Stages over the 5 largest files, after: NumpyNamespace 32%, metadata
28%, ApiMigration 16%, analysis 6%, Conditionals 6%, parse 5%, InplaceUpdates 4%, print 4%.
A 5 MB module stays out of reach: 545 MiB at 198 KB is about 2 KB of memory per byte of source
beyond the interpreter's, over 10 GB at 5 MB, and at about 0.25 s of CPU per KB some 20 minutes.

Session 9, one machine and hour for each pair of rows (the host's load moves the no-op's own CPU
by 20-30% between runs, so compare ratios):

    --lines 8000 --jobs 2        before (3a51320)       after
    first dry run                 8.55 s wall 14.29 s CPU   6.74 s wall 11.67 s CPU
    libcst no-op                  0.81 s wall  1.23 s CPU   0.88 s wall  1.35 s CPU
    first run / no-op            10.6x wall  11.6x CPU      7.7x wall   8.6x CPU
    rerun / first run             0.01 CPU                  0.02 CPU
    peak memory                   182 MiB                   182 MiB

What went: the API migration's pre-check fired on a bare ``config`` parameter in 35 of the 38
generated modules (old names now count as attributes, or after a from-import of numpy/jax: 5%);
the command line forked no worker, because NumPy's BLAS thread pool made it multi-threaded, and a
fork server imported the engine and JAX a second time on every run (NumPy now loads with one BLAS
thread there: 1.9 s of CPU and 1.4 s of wall). A leak that kept every tree a worker had seen
(weak-keyed caches whose values referred to their keys) is fixed: it cost memory on long runs, not
this tree's time. Large modules go a slice at a time (``jaxify.slicing``): see large_file.py.

Session 10. The host's load moved the CPU of one and the same run by up to 40% within minutes, so
the code was compared by its count of Python calls (cProfile, the in-process rewrite of the
8000-line tree: deterministic): 120.1 million at 5b9feca, 84.0 million after (-30%). This script:

    --lines 8000 --jobs 2        before (5b9feca)          after (fb6b403)
    first dry run                 7.73 s wall 13.56 s CPU   5.35 s wall  9.57 s CPU
    libcst no-op                  0.95 s wall  1.45 s CPU   0.96 s wall  1.47 s CPU
    first run / no-op             8.1x wall   9.3x CPU      5.6x wall   6.5x CPU
    rerun / first run             0.03 wall   0.02 CPU      0.05 wall   0.03 CPU
    peak memory                   182 MiB                   92 MiB

    --lines 30000 --jobs 2, after, two runs: first dry run 20.3 / 20.0 s wall, 39.3 / 38.9 s CPU;
    LibCST no-op 3.0 / 2.6 s wall; 6.8x / 7.6x wall, 7.3x / 8.1x CPU; rerun 0.01-0.02 of the first
    run; 98 MiB per worker.

What went: LibCST's scope and expression-context providers took three rebuilding walks of each
module and its MetadataWrapper one more for every empty batch (``jaxify.analysis.providers``: one
walk, the scopes still LibCST's own); children, parents and read-only visits read node fields
instead of rebuilding nodes (``jaxify.analysis.tree``); every run imported JAX (0.9 s, 120 MB)
only to look names up (``jaxify.jax_facts`` keeps them per installed version); imports were added
on a deep copy of the whole module (``present_imports.add_imports``: the head alone). What
remains, per file: the NumPy planner 22%, the analysis 10%, positions 10%, scopes 8%,
transformer walks 7.5%, parse 6.5%: the analyses themselves, on LibCST's trees.

Session 11. The host's load moved one and the same run by up to 60% within a minute (CPU seconds
too: its processors are shared), so the code was again compared by cProfile's count of Python
calls on the 8000-line tree, in process: 84.0 million at 46b0ad1, 33.7 million after (-60%).
This script, --lines 30000 --jobs 2 (first dry run / LibCST's no-op in the same run):

    before (session 10, fb6b403)     6.8-7.6x wall   7.3-8.1x CPU   98 MiB per worker
    after the collector and walks    3.2x wall       3.4x CPU       198 MiB (6166197)
    after, a file's memory per task  4.9-5.0x wall   3.9-4.4x CPU   72 MiB (142a3cb; two runs on a
                                                                    host that had slowed the no-op
                                                                    by 60% between them)
    rerun on the unchanged tree      0.01-0.02 of the first run, 35 MiB

What went: CPython's garbage collector, at its default thresholds, ran thousands of times a file,
and its full passes traversed every live tree (eight of them kept by a module cache of recent
analyses): a quarter to a third of a worker's CPU. Workers now collect every 200,000
allocations with their start-up objects frozen, and once after each task, and a file's analyses
die with its wrapper. A codemod's walk passes over the statements it has nothing in
(``Codemod.rewrites_in``): 70% fewer nodes rebuilt. Read-only walks skip formatting nodes (three
in five), per-node loops test classes by identity (isinstance on LibCST's ABC-based classes is a
Python call when it fails), qualified names are kept per node. Left: positions 15% and scopes
11% (LibCST's own providers), parse 12%, the NumPy planner 16%, the loop planner 9%.

Session 12, on a quieter host, the code before (c482886) and after, --lines 30000 --jobs 2 (the
first two "after" runs at a7fe95e, in turns with "before"; then three at 4a1e79c, which also has
cheaper positions):

                          before                        a7fe95e                        4a1e79c
    first dry run         16.4-16.5 s CPU, 8.7 s wall   13.4-13.8 s CPU, 7.2-7.4 s     12.1-12.9 s CPU, 6.5-7.0 s
    LibCST no-op          4.0-4.1 s CPU                 4.4-4.8 s CPU                  3.9-4.1 s CPU
    dry run / no-op       3.8-4.0x wall, 4.0-4.2x CPU   2.7-3.1x wall, 2.8-3.2x CPU    3.0-3.1x wall, 3.1-3.2x CPU
    peak per worker       72 MiB                        72 MiB                         72 MiB
    in one process, every file of the tree: 17.5 s -> 12.2 s CPU; Python calls on the 8000-line
    tree 33.7 -> 23.4 million (a7fe95e)

What went: a codemod's walk rebuilt every node it passed (``jaxify.transform`` keeps unchanged
nodes, and an unchanged module is not printed); LibCST's scope visitor rebuilt every node under
a function (its sub-walks now read fields, for the time of the walk) and visited formatting;
each walk computed each node's children again (the wrapper keeps them, and whole walks); the
scope graph's reference cycles kept every tree for the collector (the wrappers drop their
metadata when a file ends); the NumPy planner recomputed value flows on every round of its
fixpoint; LibCST's positions cost twice what its own code generation with a leaner state costs.
Left, in one process on the 30k tree: parse 12%, positions 9%, scopes 8%, the NumPy planner and
the shared analysis it asks for first 19%, the loop planner 10%, the collector 5%.

Session 13, the code before (9c49fd5) and after (6df98c7) in turns, three rounds each, --lines
30000 --jobs 2:

                          before                          after
    first dry run         10.9-11.3 s CPU, 5.9-6.1 s      8.3-9.0 s CPU, 4.6-4.9 s
    LibCST no-op          3.7-3.8 s CPU                   3.6-3.8 s CPU
    dry run / no-op       2.8-2.9x wall, 2.9-3.0x CPU     2.3-2.4x wall, 2.3-2.5x CPU
    peak per worker       72 MiB                          71 MiB
    in one process, every file of the tree: 10.8-11.3 s -> 8.3-8.6 s CPU

What went: LibCST's positions built three frozen dataclasses per node, for a rewrite that reads
one range in forty (tuples now, made ranges when read); LibCST's import visitors searched about
seven hundred hooks three times per instance for matcher decorators (remembered per class), and
RemoveImportsVisitor copied the module and resolved LibCST's scopes to find, mostly, that the
import was still used (asked of jaxify's scopes first); the fixpoint's confirming pass reran
every codemod after the last one that changed the text, on the very text they had just run on
(read back); the walks entered and left every whitespace node (content children are kept);
small searches defined a visitor class per call. On real code the import visitors mattered most:
numpy-ml 43.0 -> 26.8 s CPU (12.8x -> 8.0x the no-op), PythonRobotics 34.4 -> 22.0 s (6.1x ->
4.7x). Left, in one process on the 30k tree: parse 15%, positions 8%, scopes 6%, the collector
6% (the analyses' reference cycles), the NumPy planner with the shared analysis 20%.

Session 14, the code before (5f5995d) and after (this version) in turns, three rounds each,
--lines 30000 --jobs 2, both timed by this script with their modules compiled to bytecode first
(``compile_jaxify``: this machine sets PYTHONDONTWRITEBYTECODE, so before, every jaxify process
compiled jaxify again, about 0.15 s of CPU each, where LibCST's were compiled at install):

                          before                          after
    first dry run         9.3-9.7 s CPU, 5.0-5.3 s        7.9-8.5 s CPU, 4.3-4.6 s
    LibCST no-op          4.0-4.3 s CPU                   3.8-4.1 s CPU
    dry run / no-op       2.15-2.37x wall, 2.20-2.42x CPU 1.92-2.06x wall, 1.96-2.12x CPU
    rerun / first run     0.02-0.03 CPU, 35 MiB           0.02 CPU, 28 MiB
    peak per worker       71 MiB                          66 MiB
    in one process, the tree's files that mention NumPy: 7.5-7.8 -> 6.6-7.0 s CPU (four rounds in turns)

What went: a codemod's walk entered the formatting nodes (67,000 of the 116,000 nodes the
codemods walked), which it hands back unchanged (passed over now; the fallback position of a
finding on a built node is found under the last one when asked); a node's children were read
through a key of every field's type and truth per node (the fields LibCST visits are now learnt
once per class, from LibCST announcing each field it walks); the scope collector's on_visit
override made every node look its hooks up by name; the NumPy planner's pinning fixpoint worked
every function out again on every round, and started the plan with declined calls from nothing;
positions and parents were dicts keyed by nodes, whose __hash__ is a Python call (half a million
a run: now kept by id with the node, ``ById``); 590,000 calls asked nodes that cannot differ in
JAX whether they do; the command line imported nbformat and rich on every run (now when a
notebook or a bar needs them). Left: LibCST's parse (with its node construction) about a fifth,
positions 8%, scopes 6%, the collector 4%, the NumPy planner with the shared analysis a fifth.
Tried and dropped, as they measured no faster: a walk of the binding nodes instead of the
expression contexts (the contexts' walk is mostly the children it computes first, which the
analyses then read), iterative instead of recursive visitor dispatch, per-class hook lookup in
the codemods' on_visit/on_leave, id-keyed scope and context maps, memoised bound values in the
pinning, kept-children reads inlined in the walks.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import dataclasses
import io
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from legacy_tree import generate_tree  # noqa: E402
from stage_clock import StageClock  # noqa: E402

import jaxify  # noqa: E402
import jaxify.codemods  # noqa: E402  (imported before any stage is clocked: importing is no stage)
from jaxify.config import Options  # noqa: E402
from jaxify.discovery import mentions_numpy_or_jax  # noqa: E402
from jaxify.engine import process_file  # noqa: E402
from jaxify.report import unified_diff  # noqa: E402

# Runs a command and prints its exit code, the CPU seconds of every process it started, and the
# largest peak resident set size (KiB on Linux) among them: for a parent, the kernel keeps the
# totals and the maximum over every descendant it has waited for. jaxify's workers are children
# of a fork server that nobody waits for, so this process makes itself the reaper of orphaned
# descendants (PR_SET_CHILD_SUBREAPER) and waits for every one of them before reading the totals.
USAGE = (
    "import ctypes, os, resource, subprocess, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "while True:\n"
    "    try:\n"
    "        os.wait()\n"
    "    except ChildProcessError:\n"
    "        break\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
)


@dataclasses.dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds of CPU over every process of the run: less noisy on a shared machine
    peak_mib: float  # the largest process of the run (a worker or the main process)
    exit: int


def timed_run(command: list[str], cwd: Path) -> Run:
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, "-c", USAGE, *command], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    code, cpu, peak_kib = finished.stdout.split()
    return Run(wall, float(cpu), int(peak_kib) / 1024, int(code))


def compile_jaxify() -> None:
    """Time both tools as installed. pip compiled LibCST's modules to bytecode when it installed
    them; jaxify's, in an editable install, are compiled by the first process that imports them,
    and by every process where PYTHONDONTWRITEBYTECODE is set (this machine's environment sets
    it: about 0.15 s of CPU in each of jaxify's processes, and in none of LibCST's)."""
    for package in {Path(jaxify.__file__).parent, Path(jaxify.codemods.__file__).parent}:
        compileall.compile_dir(package, quiet=1)


def jaxify_command(tree: Path, jobs: int, *extra: str) -> list[str]:
    # --exit-zero: remaining findings exit 1, which is not a failure of the run being timed; no
    # per-file time limit: on a loaded machine a slow file must be measured, not cut short
    return [sys.executable, "-m", "jaxify", str(tree), "--jobs", str(jobs), "-q", "--exit-zero",
            "--file-timeout", "100000", *extra]


def stage_profile(files: list[Path], scratch: Path) -> tuple[StageClock, str, Path | None, dict[Path, float]]:
    """Stage totals over ``files`` (rewritten and written to a copy), and cProfile of the slowest."""
    options = Options()
    per_file: dict[Path, float] = {}
    clock = StageClock()
    with clock:
        for path in files:
            copy = scratch / path.name
            shutil.copyfile(path, copy)
            started = time.perf_counter()
            result = process_file(copy, options, apply=True)
            unified_diff(result)
            per_file[path] = time.perf_counter() - started
    slowest = max(per_file, key=per_file.get) if per_file else None
    if slowest is None:
        return clock, "", None, per_file
    profiler = cProfile.Profile()
    copy = scratch / slowest.name
    shutil.copyfile(slowest, copy)
    profiler.runcall(process_file, copy, options, False)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
    return clock, text.getvalue(), slowest, per_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=30_000, help="size of the generated tree (default 30000)")
    parser.add_argument("--tree", type=Path, help="measure this tree instead (it is copied, never written)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile-files", type=int, default=5, help="largest files profiled in-process (0: none)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jaxify-speed-") as scratch_name:
        scratch = Path(scratch_name)
        tree = scratch / "tree"
        if args.tree:
            shutil.copytree(args.tree, tree, symlinks=True)
        else:
            generate_tree(tree, args.lines)
        files = sorted(tree.rglob("*.py"))
        lines = sum(path.read_bytes().count(b"\n") for path in files)
        print(f"tree: {len(files)} files, {lines} lines; --jobs {args.jobs}")

        compile_jaxify()
        cache = scratch / "cache"
        for name in ("apply", "noop"):
            shutil.copytree(tree, scratch / name)
        commands = {
            "first dry run": jaxify_command(tree, args.jobs, "--cache-dir", str(cache)),
            "rerun, unchanged tree": jaxify_command(tree, args.jobs, "--cache-dir", str(cache)),
            "libcst no-op codemod": [sys.executable, "-m", "libcst.tool", "codemod", "noop.NOOPCommand", "-j",
                                     str(args.jobs), "--no-format", "--hide-progress", str(scratch / "noop")],
            "--apply": jaxify_command(scratch / "apply", args.jobs, "--apply", "--cache-dir", str(scratch / "c2")),
        }
        runs = {}
        for name, command in commands.items():
            run = runs[name] = timed_run(command, scratch)
            print(f"{name:<24} {run.wall:8.2f} s wall {run.cpu:8.2f} s CPU   peak {run.peak_mib:7.1f} MiB"
                  f" (largest process)   exit {run.exit}", flush=True)
        first, rerun, noop = runs["first dry run"], runs["rerun, unchanged tree"], runs["libcst no-op codemod"]
        ratios = {
            "dry run / libcst no-op": (first.wall / noop.wall, first.cpu / noop.cpu),
            "rerun / first run": (rerun.wall / first.wall, rerun.cpu / first.cpu),
        }
        for name, (wall, cpu) in ratios.items():
            print(f"{name:<24} {wall:8.2f} wall {cpu:8.2f} CPU")

        figures = {
            "files": len(files), "lines": lines, "jobs": args.jobs,
            "runs": {name: dataclasses.asdict(run) for name, run in runs.items()},
            "ratios": {name: {"wall": wall, "cpu": cpu} for name, (wall, cpu) in ratios.items()},
        }
        if args.profile_files:
            # files that never mention numpy or jax cost a read and are skipped: profile the others
            relevant = [path for path in files if mentions_numpy_or_jax(path.read_bytes())]
            largest = sorted(relevant, key=lambda path: -path.stat().st_size)[: args.profile_files]
            workdir = scratch / "profile"
            workdir.mkdir()
            clock, top, slowest, per_file = stage_profile(largest, workdir)
            total = sum(seconds for _, seconds, _ in clock.table())
            print(f"\nper stage, in this process, over the {len(largest)} largest files ({total:.2f} s):")
            for stage, seconds, calls in clock.table():
                print(f"  {stage:<36} {seconds:8.2f} s {100 * seconds / total:5.1f}%  {calls:6d} calls")
            figures["stages"] = {stage: seconds for stage, seconds, _ in clock.table()}
            if slowest is not None:
                print(f"\ncProfile of the slowest file, {slowest.relative_to(tree)} ({per_file[slowest]:.2f} s):")
                print(top)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

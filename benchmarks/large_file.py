"""How jaxify's cost grows with file size: CPU seconds and peak memory of one dry run per size.

    python3 benchmarks/large_file.py [SIZE_KB ...]      (default: 8 16 32 64)
    python3 benchmarks/large_file.py --cli SIZE_KB [--jobs N]

Each size is a generated module of many small NumPy functions (a loop writing an array, a
branch; about 145 bytes each), the shape of file that made the cost grow faster than the size.
The rewrite runs in a fresh process, so the peak memory is that file's alone. The last columns,
CPU milliseconds per function and seconds per KB, stay flat when the cost is linear.

Measured on one shared core (CPU seconds, peak memory of the process):

    functions   KB    before (7a9663b)       after calls_to
       50        6      4.9 s    203 MB        5.0 s   203 MB
      250       34     20.0 s    311 MB       19.7 s   312 MB
     2500      351    265.8 s   1554 MB       not measured (the shared machine was overloaded)

cProfile at 100 and 500 functions showed one term growing with the square of the module's
functions: the input-contract analysis asked, for each parameter, what the module's call sites
pass, and each question resolved every call in the module (``ValueKinds.arguments_for``); each
call is now resolved once (``ValueKinds.calls_to``); tests/test_cost_growth.py counts those
resolutions (936 at 8 functions and 12192 at 32 before, linear now). A fit of a*n + b*n**2 to
the figures before puts the square term at about a quarter of the time at 2500 functions; at
5 MB it would have dominated. What remains is linear, at roughly 80 ms per function and 4 KB of
memory per byte of source: LibCST's tree walks (each codemod, each metadata provider and each
analysis walks the whole tree, twice with the fixpoint's second pass) and its metadata. A 5 MB module would still need about 45 CPU minutes and 20 GB, which is why the runner
refuses files whose estimated memory is over --file-memory before starting.

Later, on a machine shared by five processes (so the milliseconds are higher than above), before
and after the walks that do not rebuild the tree (``jaxify.analysis.tree``):

    KB   functions   before (f26ea4e)             after
    16      117      17.7 s  304 MB  151 ms/fn    15.6 s  309 MB  133 ms/fn
    32      231      34.8 s  433 MB  151 ms/fn    29.3 s  446 MB  127 ms/fn

Still linear and still far from a 5 MB file in a minute (38k functions would need over an hour
of CPU), so the up-front refusal stays.

Session 9: a module over 96,000 characters is rewritten a slice at a time (``jaxify.slicing``; on
the command line the slices go to all workers, ``jaxify.divisions``). In one process, dry run,
default options, on a machine running the test suite beside it:

    KB   functions   whole                          sliced
   128      919      42.5 s CPU   487 MB            40.6 s CPU   395 MB
   256     1824      98.9 s CPU   782 MB            (grows no more: a worker holds one slice)

``--cli 5120 --jobs 2`` (35,818 functions; before, refused up front: it would have needed about
20 GiB): jaxify 1007 s wall, 1994 s CPU, each worker steady at 253 MB, the reporting process's
peak 1138 MiB (most of it compiling the stitched module, which it no longer does); LibCST's no-op
codemod on the same file 84.6 s and 3754 MiB. So memory is bounded, and the time is linear (about
56 ms of CPU per small function) but seventeen times the one minute issue 18 asks for. After the
stitched module was no longer compiled, ``--cli 1024 --jobs 2`` (7,247 functions): 205.9 s wall,
406.1 s CPU, peak 210 MiB in any process; LibCST's no-op 16.5 s and 787 MiB.

Session 10 (fewer metadata walks, reads without rebuilding: see tool_speed.py), ``--cli 1024
--jobs 2``, two runs an hour apart on a host whose load moved LibCST's no-op by 28%: 134.1 s wall
and 265.0 s CPU beside a no-op of 14.5 s (9.2x), then 181.4 s and 359.1 s beside 18.6 s (9.8x);
12.5x in session 9. Peak 135 MiB in any process. 5 MB would still take about ten minutes.

Session 11 (the garbage collector and walks: see tool_speed.py), ``--cli 1024 --jobs 2``: 150.1 s
wall and 274.6 s CPU beside a no-op of 20.4 s (7.4x), peak 426 MiB while the workers did not
collect after each task; with that collection, 171.6 s and 322.3 s beside 17.6 s (9.8x; the
host's load moved the no-op by 15% between the runs), peak 133 MiB. LibCST's no-op alone needs
about 17-20 s per MB here, so a 5 MB module in a minute is out of reach for any rewrite that
parses it with LibCST on this machine.

Session 12 (walks that keep unchanged nodes, kept children: see tool_speed.py), ``--cli 512
--jobs 2`` (3,632 functions), the code before and after run one after the other: 46.8 s wall and
91.5 s CPU before (c482886), 35.3 s and 68.9 s after (a7fe95e), 30.2 s and 59.0 s with cheaper
positions (4a1e79c), beside a no-op of 7.1-7.9 s; peak 88 MiB in any process. At that rate 5 MB
takes about five minutes of wall time on two cores, and LibCST's no-op alone about 75 s.

Session 13 (positions as tuples, codemod runs read back, walks past formatting: see
tool_speed.py), ``--cli 512 --jobs 2``: 23.0 s wall and 44.6 s CPU at 478f162, 18.8 s and 36.3 s
at 6df98c7, beside a no-op of 6.5-7.5 s; peak 87 MiB in any process. 5 MB would take about three
minutes on two cores.

Session 14 (codemod walks past formatting, children read off learnt fields: see tool_speed.py),
``--cli 512 --jobs 2``, modules compiled to bytecode first: 16.6 s wall and 31.9 s CPU, beside a
no-op of 7.1 s; peak 77 MiB in any process. 5 MB would take about 2.8 minutes on two cores;
LibCST's no-op alone needs 14 ms of CPU per KB of this file, 70 s for 5 MB on one core.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FUNCTION = """
def f{i}(x, n):
    y = np.zeros(n)
    for j in range(n):
        y[j] = x[j] * 2.0 + {i}
    if y.sum() > 0:
        y = y - 1
    return y
"""

MEASURE = """
import resource, sys, time
from jaxify.config import Options
from jaxify.engine import rewrite_text
text = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
result = rewrite_text(text, sys.argv[1], Options())
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(time.process_time() - start, peak_mb, int(result.failed))
"""


def generate(size_kb: int) -> str:
    parts, size, index = ["import numpy as np\n"], 0, 0
    while size < size_kb * 1024:  # whole functions until the size is reached
        parts.append(FUNCTION.format(i=index))
        size += len(parts[-1])
        index += 1
    return "".join(parts)


def measure(size_kb: int, folder: Path) -> tuple[int, float, float, bool]:
    path = folder / f"generated_{size_kb}kb.py"
    text = generate(size_kb)
    path.write_text(text, encoding="utf-8")
    output = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True)
    seconds, peak_mb, failed = output.stdout.split()
    return text.count("\ndef "), float(seconds), float(peak_mb), failed == "1"


def main(sizes: list[int]) -> None:
    print(f"{'KB':>6} {'functions':>9} {'CPU s':>8} {'peak MB':>8} {'ms/function':>11} {'CPU s/KB':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for size_kb in sizes:
            functions, seconds, peak_mb, failed = measure(size_kb, Path(scratch))
            note = "  (refused)" if failed else ""
            print(f"{size_kb:>6} {functions:>9} {seconds:>8.1f} {peak_mb:>8.0f} {1000 * seconds / functions:>11.1f} "
                  f"{seconds / size_kb:>9.3f}{note}", flush=True)


def command_line(size_kb: int, jobs: int) -> None:
    """``jaxify FILE --jobs N`` on one generated module, as a user runs it (its slices spread over
    the workers), next to LibCST's no-op codemod on the same file: wall and CPU seconds of every
    process, and the peak memory of the largest one."""
    from tool_speed import compile_jaxify, jaxify_command, timed_run

    compile_jaxify()

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        path = scratch / f"generated_{size_kb}kb.py"
        path.write_text(generate(size_kb), encoding="utf-8")
        (scratch / "noop").mkdir()
        shutil.copyfile(path, scratch / "noop" / path.name)
        print(f"one module of {size_kb} KB ({path.read_text(encoding='utf-8').count(chr(10) + 'def ')} functions), "
              f"--jobs {jobs}")
        runs = {
            "jaxify (dry run)": jaxify_command(path, jobs, "--no-cache"),
            "libcst no-op codemod": [sys.executable, "-m", "libcst.tool", "codemod", "noop.NOOPCommand", "-j",
                                     str(jobs), "--no-format", "--hide-progress", str(scratch / "noop")],
        }
        for name, command in runs.items():
            run = timed_run(command, scratch)
            print(f"{name:<22} {run.wall:8.1f} s wall {run.cpu:8.1f} s CPU   peak {run.peak_mib:7.1f} MiB "
                  f"(largest process)   exit {run.exit}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cli"]:
        command_line(int(sys.argv[2]), int(sys.argv[4]) if sys.argv[3:4] == ["--jobs"] else 2)
    else:
        main([int(arg) for arg in sys.argv[1:]] or [8, 16, 32, 64])

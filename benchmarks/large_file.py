"""How jaxify's cost grows with file size: CPU seconds and peak memory of one dry run per size.

    python3 benchmarks/large_file.py [SIZE_KB ...]      (default: 8 16 32 64)

Each size is a generated module of many small NumPy functions (a loop writing an array, a
branch), the shape of file that made the cost grow faster than the size. The rewrite runs in a
fresh process, so the peak memory is that file's alone. The last column, CPU seconds per KB,
stays flat when the cost is linear.
"""

from __future__ import annotations

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
    while size < size_kb * 1024:
        parts.append(FUNCTION.format(i=index))
        size += len(parts[-1])
        index += 1
    return "".join(parts)


def measure(size_kb: int, folder: Path) -> tuple[float, float, bool]:
    path = folder / f"generated_{size_kb}kb.py"
    path.write_text(generate(size_kb), encoding="utf-8")
    output = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True)
    seconds, peak_mb, failed = output.stdout.split()
    return float(seconds), float(peak_mb), failed == "1"


def main(sizes: list[int]) -> None:
    print(f"{'KB':>6} {'CPU s':>8} {'peak MB':>8} {'CPU s/KB':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for size_kb in sizes:
            seconds, peak_mb, failed = measure(size_kb, Path(scratch))
            note = "  (refused)" if failed else ""
            print(f"{size_kb:>6} {seconds:>8.1f} {peak_mb:>8.0f} {seconds / size_kb:>9.3f}{note}", flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [8, 16, 32, 64])

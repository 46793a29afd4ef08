"""Run one module's verification in a subprocess with a timeout and a memory cap.

User code may hang, crash the interpreter or eat all memory; none of that may stop the run. The
worker caps its own address space first thing (no ``preexec_fn``: forking a parent that has JAX's
threads running and then running Python in the child can deadlock). The
worker reports progress line by line, so whatever it finished is kept, and the function it was on
when it died gets the finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_MEMORY_BYTES = 4 << 30


def run_worker(job: dict, job_dir: Path, timeout: float, memory_bytes: int = DEFAULT_MEMORY_BYTES,
               device: str | None = None) -> tuple[list[dict], str | None]:
    """The worker's events, and a description of how it died (None when it finished)."""
    results = job_dir / "results.jsonl"
    job = {**job, "results": str(results), "memory_bytes": memory_bytes}  # the worker caps itself
    job_file = job_dir / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    env = {**os.environ, "JAX_ENABLE_X64": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    if device:
        env["JAX_PLATFORMS"] = device
    death = None
    try:
        process = subprocess.run(
            [sys.executable, "-m", "jaxify.verify.worker", str(job_file)], env=env, cwd=job_dir,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
        )
        if process.returncode != 0:
            tail = process.stderr.strip().splitlines()[-1:] if process.stderr.strip() else []
            death = f"the verification process died (exit code {process.returncode})" + (
                f": {tail[0][:300]}" if tail else "")
            if "MemoryError" in process.stderr:
                death = f"ran out of memory (cap {memory_bytes >> 20} MiB)"
    except subprocess.TimeoutExpired:
        death = f"did not finish within {timeout:g} s (a hang or a very slow function)"
    events = []
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                break  # a line cut off by the kill
    return events, death

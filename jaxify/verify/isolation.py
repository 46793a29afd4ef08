"""Run one module's verification in a subprocess with a timeout and a memory cap.

User code may hang, crash the interpreter, exit, eat all memory, flood its output or start
processes of its own; none of that may stop the run or make it pass falsely. So:

- the worker caps its own address space first thing (no ``preexec_fn``: forking a parent that has
  JAX's threads running and then running Python in the child can deadlock);
- it runs in its own session, and when it ends (or its time is up) the whole process group is
  killed, so a grandchild can neither outlive the run nor hold the output pipes open;
- its output is read as bytes, by threads, keeping the start of each stream (``OUTPUT_CAP``) and
  counting the rest, so no output can exhaust the parent's memory or fail to decode;
- HOME and TMPDIR point into the job's scratch folder, so code that writes there writes nowhere
  that outlives the run;
- progress is reported line by line in a file, so whatever it finished is kept; the caller reads
  which function was running when it ended.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

DEFAULT_MEMORY_BYTES = 4 << 30
OUTPUT_CAP = 1 << 20  # bytes of each output stream kept
TAIL_BYTES = 4096  # the end of stderr is kept too: that is where a traceback is
READ_CHUNK = 1 << 16


class CappedStream(threading.Thread):
    """Drains a pipe, keeping its first ``cap`` bytes and its last few, and counting all of them."""

    def __init__(self, pipe, cap: int = OUTPUT_CAP):
        super().__init__(daemon=True)
        self.pipe, self.cap = pipe, cap
        self.kept, self.tail, self.total = bytearray(), b"", 0

    def run(self) -> None:
        descriptor = self.pipe.fileno()
        while chunk := os.read(descriptor, READ_CHUNK):
            self.total += len(chunk)
            room = self.cap - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
            self.tail = (self.tail + chunk)[-TAIL_BYTES:]

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        dropped = self.total - len(self.kept)
        return text + (f"\n[... {dropped / (1 << 20):.1f} MiB more not kept]" if dropped else "")

    def last_line(self) -> str:
        lines = self.tail.decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else ""


@dataclasses.dataclass
class WorkerRun:
    events: list[dict]
    returncode: int | None  # None: killed at the time limit
    stderr_last_line: str = ""
    out_of_memory: bool = False


def scratch_environment(job_dir: Path, device: str | None) -> dict[str, str]:
    home, temporary = job_dir / "home", job_dir / "tmp"
    home.mkdir(exist_ok=True)
    temporary.mkdir(exist_ok=True)
    env = {**os.environ, "JAX_ENABLE_X64": "1", "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(home),
           "TMPDIR": str(temporary), "TMP": str(temporary), "TEMP": str(temporary)}
    if device:
        env["JAX_PLATFORMS"] = device
    return env


def run_worker(job: dict, job_dir: Path, timeout: float, memory_bytes: int = DEFAULT_MEMORY_BYTES,
               device: str | None = None) -> WorkerRun:
    """Run the worker on ``job`` until it ends or ``timeout`` seconds pass; what it reported."""
    results = job_dir / "results.jsonl"
    job = {**job, "results": str(results), "memory_bytes": memory_bytes}  # the worker caps itself
    job_file = job_dir / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "jaxify.verify.worker", str(job_file)], env=scratch_environment(job_dir, device),
        cwd=job_dir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    streams = [CappedStream(process.stdout), CappedStream(process.stderr)]
    for stream in streams:
        stream.start()
    try:
        returncode = process.wait(timeout=timeout)  # the worker itself, not its pipes
    except subprocess.TimeoutExpired:
        returncode = None
    finally:
        _kill_group(process.pid)
        process.wait()
        for stream in streams:
            stream.join(timeout=5)  # a process that left the group may hold a pipe: do not wait for it
    stderr = streams[1]
    return WorkerRun(_read_events(results), returncode, stderr.last_line(),
                     out_of_memory=returncode not in (None, 0) and b"MemoryError" in stderr.tail)


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing left in it


def _read_events(results: Path) -> list[dict]:
    events = []
    if results.exists():
        for line in results.read_bytes().decode("utf-8", "replace").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                break  # a line cut off by the kill
    return events

"""Run the per-file pipeline over many files in worker processes, yielding each result as it finishes.

Every file is rewritten in a worker process, never in the process that reports, because one bad
file must not end the run: LibCST's native parser can crash on pathological input, and a huge
file can run for minutes or eat all memory. A worker that dies fails only the file it was on (a
JX003 finding naming the signal or the limit), and a fresh worker takes the remaining files.

Workers die with the parent: on Linux they ask for a parent-death signal, and the parent stops
them (SIGTERM, then SIGKILL) whenever the iteration ends, normally, on Ctrl-C or on SIGTERM. A
worker stopped by SIGTERM or SIGINT unwinds, so a write in progress removes its temporary file.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import importlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING

from jaxify.config import Options
from jaxify.cache import ResultCache
from jaxify.results import FileResult, engine_finding
from jaxify.slicing import SLICE_ABOVE

if TYPE_CHECKING:
    from jaxify.divisions import Division

DEFAULT_FILE_TIMEOUT = 60.0
DEFAULT_FILE_MEMORY_MB = 4096
STOP_GRACE_SECONDS = 3.0  # how long a stopped worker gets to remove its temporary file
# LibCST's trees and their metadata take about 4 KB of memory per byte of source on top of a
# base of about 200 MB (measured with benchmarks/large_file.py: 1.55 GB for 351 KB); a file
# estimated at over the limit is refused before it spends minutes and gigabytes getting there.
MEMORY_PER_SOURCE_BYTE = 4096
PLAN_BYTES_PER_SOURCE_BYTE = 100


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one file may cost; None is no limit."""

    seconds: float | None = DEFAULT_FILE_TIMEOUT
    memory_mb: int | None = DEFAULT_FILE_MEMORY_MB


# What a worker sends between the slices of a large file (jaxify.slicing): the file moves on, so
# its time limit starts again; the limit bounds each slice instead of the whole file.
STILL_WORKING = "still working"
_tell_parent: Callable[[], None] | None = None  # set in a worker


def still_working() -> None:
    """Tell the parent, from a worker, that the current file moves on (a slice is done)."""
    _stop_if_signalled()
    if _tell_parent is not None:
        _tell_parent()


Work = Callable[[Path, Options, bool], FileResult]
Divide = Callable[[Path, Options], "Division | None"]
Settle = Callable[[Path, Options], FileResult | None]
# What a worker needs imported: the pipeline and every codemod (and JAX's facts, which import JAX
# only when the installed versions' facts are not kept yet: jaxify.jax_facts). Imported once,
# before the workers start, so that they share it; never in a run whose every file was settled
# without them.
WORKER_MODULES = ("jaxify.engine", "jaxify.codemods")


def rewrite_file(path: Path, options: Options, apply: bool, cache: ResultCache | None = None) -> FileResult:
    """The engine's ``process_file``, imported where a file is rewritten: in a worker."""
    from jaxify.engine import process_file

    return process_file(path, options, apply, cache)


def default_jobs() -> int:
    """The cores this process may run on (a container or `taskset` can allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def largest_first(files: Iterable[Path]) -> list[Path]:
    """The slowest files start first, so the run does not end waiting on one big file."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    return sorted(files, key=size, reverse=True)


def iter_results(files: Iterable[Path], options: Options | Mapping[Path, Options], apply: bool,
                 jobs: int | None = None, limits: Limits = Limits(), work: Work = rewrite_file,
                 settle: Settle | None = None, divide: Divide | None = None) -> Iterator[FileResult]:
    """Yield one FileResult per file, in the order they finish (the largest files are started first).

    ``options`` is one Options for every file, or each file's own (configuration is per folder).

    ``work`` is the per-file function (``rewrite_file``); it must be importable by name.
    ``settle`` (``results.settled_result``) gives, in this process and before any worker starts,
    the result of a file that needs no rewrite (skipped or cached), else None: when it settles
    every file, no worker starts. ``divide`` (``divisions.divide``) cuts a large file into slices
    that the workers rewrite side by side, else None. Closing the iterator early (or an exception
    in the consumer) stops every worker.
    """
    pending: deque[Path | _Part] = deque(largest_first(files))
    options_of = options.__getitem__ if isinstance(options, Mapping) else (lambda path: options)
    while pending and (refusal := _too_big(pending[0], limits)) is not None:
        pending.popleft()
        yield refusal
    if settle is not None:
        unsettled = deque()
        for path in pending:
            settled = settle(path, options_of(path))
            if settled is None:
                unsettled.append(path)
            else:
                yield settled
        pending = unsettled
    if not pending:
        return
    context = _start_method()  # before cutting: that loads NumPy, which must load as _start_method says
    if divide is not None:
        pending = deque(_divided(pending, options_of, divide))
    jobs = max(1, min(jobs or default_jobs(), len(pending)))
    workers: list[_Worker] = []
    parts: dict[int, list[FileResult | None]] = {}  # id(division) -> its parts' results so far
    try:
        while pending or any(worker.task for worker in workers):
            idle = sum(worker.task is None for worker in workers)
            for _ in range(min(jobs - len(workers), len(pending) - idle)):
                workers.append(_Worker(context, apply, limits, work))
            for worker in workers:
                if worker.task is None and pending:
                    task = pending.popleft()
                    worker.give(task, options_of(task.path if isinstance(task, _Part) else task), limits.seconds)
            for task, finished in _wait(workers):
                if not isinstance(task, _Part):
                    yield finished
                    continue
                division = task.division
                if task.index == WHOLE:
                    yield division.settle_whole(finished)
                    continue
                results = parts.setdefault(id(division), [None] * len(division.pieces))
                results[task.index] = finished
                if all(result is not None for result in results):
                    del parts[id(division)]
                    joined = division.join(results)
                    if joined is None:  # the slices' rewrites do not fit together: the file goes whole
                        pending.appendleft(_Part(division, WHOLE))
                    else:
                        yield joined
            workers = [worker for worker in workers if worker.alive]
    finally:
        _stop(workers)


WHOLE = -1  # a _Part's index for the whole file, rewritten without slices


@dataclasses.dataclass(frozen=True)
class _Part:
    """A slice of a divided file (its index in ``division.pieces``), or the whole file (WHOLE)."""

    division: Division
    index: int

    @property
    def path(self) -> Path:
        return self.division.path

    @property
    def text(self) -> str:
        return self.division.settled.source.text if self.index == WHOLE else self.division.pieces[self.index].text


def _divided(pending: Iterable[Path], options_of, divide: Divide) -> Iterator[Path | _Part]:
    """The slices of each file ``divide`` cuts, then the other files (largest first, as given)."""
    whole = []
    for path in pending:
        try:
            division = divide(path, options_of(path))
        except Exception:  # a bug in cutting: the file goes whole, where a worker reports any problem
            division = None
        if division is None:
            whole.append(path)
        else:
            yield from (_Part(division, index) for index in range(len(division.pieces)))
    yield from whole


def _too_big(path: Path, limits: Limits) -> FileResult | None:
    """A JX003 refusal for a file that cannot fit in the memory limit, else None."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the worker reports why it cannot be read
    # A large module is rewritten a slice at a time (jaxify.slicing): its trees are a slice's, and
    # what stays is the text and its plan (names and lines, well under 100 bytes per byte).
    estimate = min(size, SLICE_ABOVE) * MEMORY_PER_SOURCE_BYTE + size * PLAN_BYTES_PER_SOURCE_BYTE
    if not limits.memory_mb or estimate <= limits.memory_mb << 20:
        return None
    return _failure(str(path), f"the file is {size / (1 << 20):.1f} MiB: rewriting it would need about "
                               f"{estimate / (1 << 30):.0f} GiB or more, over the per-file "
                               f"memory limit of {limits.memory_mb} MiB (--file-memory); split the module or "
                               f"raise the limit")


def _wait(workers: list[_Worker]) -> list[tuple[Path | _Part, FileResult]]:
    """Block until some worker has finished, died or passed its deadline; their tasks and results."""
    busy = [worker for worker in workers if worker.task is not None]
    deadlines = [worker.deadline for worker in busy if worker.deadline is not None]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    wait([handle for worker in busy for handle in (worker.connection, worker.process.sentinel)], timeout)
    return [(task, result) for worker in busy for task in (worker.task,) if (result := worker.collect()) is not None]


class _Worker:
    def __init__(self, context, apply: bool, limits: Limits, work: Work):
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child_end, self.connection, apply, limits.memory_mb, work), daemon=True
        )
        self.process.start()
        child_end.close()
        self.limits = limits
        self.task: Path | _Part | None = None  # a file, or a part of a divided one
        self.deadline: float | None = None
        self.alive = True

    def give(self, task: Path | _Part, options: Options, seconds: float | None) -> None:
        self.task = task
        self.deadline = time.monotonic() + seconds if seconds else None
        try:
            if isinstance(task, _Part):
                self.connection.send((task.path, options, task.text))
            else:
                self.connection.send((task, options, None))
        except OSError:
            pass  # it died while idle (the OOM killer?): collect() reports the file as crashed

    def collect(self) -> FileResult | None:
        """The result of the current task if it is over (done, crashed or out of time), else None."""
        name = str(self.task.path if isinstance(self.task, _Part) else self.task)
        if self.connection.poll():
            try:
                message = self.connection.recv()
                if message == STILL_WORKING:
                    self.deadline = time.monotonic() + self.limits.seconds if self.limits.seconds else None
                    return None
                result, keep_going = message
                self.task = self.deadline = None
                if not keep_going:
                    _stop([self])
                return result
            except (EOFError, OSError):
                pass  # it died before sending: the sentinel tells how
        if not self.process.is_alive():
            self.process.join()
            self._retire()
            limit = f"; its memory limit is {self.limits.memory_mb} MiB, --file-memory" if self.limits.memory_mb else ""
            return _failure(name, f"the rewrite crashed its process ({_describe_exit(self.process.exitcode)}{limit})")
        if self.deadline is not None and time.monotonic() >= self.deadline:
            _stop([self])
            return _failure(name, f"the rewrite took longer than the per-file time limit of "
                                  f"{self.limits.seconds:g} s (--file-timeout)")
        return None

    def _retire(self) -> None:
        self.alive = False
        self.task = self.deadline = None
        self.connection.close()


def _failure(path: str, message: str) -> FileResult:
    return FileResult(path, failed=True, findings=[engine_finding(path, "JX003", message + "; the file was left "
                                                                  "untouched")])


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _stop(workers: list[_Worker]) -> None:
    """SIGTERM lets a worker remove its temporary file; SIGKILL follows for one stuck in native code."""
    for worker in workers:
        if worker.process.is_alive():
            worker.process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        if worker.alive:
            worker._retire()


def _start_method():
    """Fork when this process runs no other thread (the command line): workers start at once with
    the engine already imported. Forking a process with threads (JAX's, a test runner's) can
    deadlock, so then a fork server that imported the engine forks the workers instead."""
    _import_worker_modules()  # first: importing them (NumPy's thread pool) can start threads
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(WORKER_MODULES))
        return context
    return multiprocessing.get_context("spawn")


# The variables that size the thread pool NumPy's BLAS starts when it loads.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _import_worker_modules() -> None:
    """Import what the workers need. Loading NumPy starts its BLAS thread pool, and a process
    with threads is not forked (the fork server then imports everything again: about 1.5 s of
    CPU and of waiting on every run). Rewriting does no linear algebra, so when NumPy is not
    loaded yet it loads here with one BLAS thread; the environment is put back at once, so what
    this process starts later (verify's runs of the user's code) gets the user's own settings."""
    saved = {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    if "numpy" not in sys.modules:
        os.environ.update(dict.fromkeys(BLAS_THREAD_VARIABLES, "1"))
    try:
        for module in WORKER_MODULES:
            importlib.import_module(module)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


# -- the worker side ---------------------------------------------------------------------------------

def _serve(connection, parent_end, apply: bool, memory_mb: int | None, work: Work) -> None:
    parent_end.close()  # a forked worker inherits the parent's end; only the parent may hold it
    _die_with_parent()
    # SIGTERM unwinds the worker from wherever it is; inside a garbage-collector callback (JAX
    # registers one to free device buffers, which a worker never holds) Python can only print
    # "Exception ignored" with a traceback, which then reaches the user's terminal on Ctrl-C.
    gc.callbacks[:] = [callback for callback in gc.callbacks
                       if not getattr(callback, "__module__", "").startswith(("jax.", "jaxlib."))]
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)  # Ctrl-C at a terminal reaches the workers too
    _limit_memory(memory_mb)
    _collect_garbage_less_often()
    global _tell_parent
    _tell_parent = functools.partial(connection.send, STILL_WORKING)
    try:
        while True:
            path, options, part = connection.recv()
            keep_going = True
            try:
                result = work(path, options, apply) if part is None else _rewrite_part(part, path, options)
            except MemoryError:  # a fresh process takes the next file: this one's heap may be fragmented
                result, keep_going = _failure(str(path), f"the rewrite ran out of memory (per-file limit "
                                                         f"{memory_mb} MiB, --file-memory)"), False
            except Exception as error:  # a bug in jaxify: reported, and the other files go on
                result = _failure(str(path), f"internal error, please report it: {type(error).__name__}: {error}")
            connection.send((result, keep_going))
            if not keep_going:
                return
            del result
            gc.collect()  # the task's reference cycles (its trees among them), while little else lives
            _stop_if_signalled()
    except (EOFError, OSError, KeyboardInterrupt, SystemExit):
        return  # the parent is gone or stopped us; a write in progress has removed its temporary file


def _rewrite_part(text: str, path: Path, options: Options) -> FileResult:
    """A slice of a divided file (or the whole file, when its slices did not fit together),
    rewritten whole: the reporting process puts it back, caches and writes it."""
    from jaxify.engine import rewrite_text

    return rewrite_text(text, str(path), options, slices=False)


# Young objects collected after this many allocations (CPython's default: 700), as mypy does.
GC_THRESHOLDS = (200_000, 30, 30)


def _collect_garbage_less_often() -> None:
    """A worker allocates LibCST trees: hundreds of thousands of small objects a file. With
    CPython's default thresholds the collector ran thousands of times a file, and its full
    collections, which traverse every live object, took a quarter to a third of the worker's CPU.
    Now it runs every 200,000 allocations, what the worker holds from the start (the imported
    modules) is frozen out of its reach, and a full collection after each task frees that task's
    reference cycles (a file's analysis and its wrapper refer to each other, and so keep its tree)
    while little else is alive: 14 ms a file, and the memory stays that of one file."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.callbacks.append(_note_collection)


_collecting = False  # a garbage collection is running in this worker
_stop_signal: int | None = None  # a stop signal that came during one, not acted on yet


def _note_collection(phase: str, info: dict) -> None:
    global _collecting
    _collecting = phase == "start"


def _exit_on_signal(signum, frame) -> None:
    """Stop the worker. During a garbage collection the handler runs inside the callback of a weak
    reference the collection frees (to an analysis's visitor class): a SystemExit raised there is
    only printed, as "Exception ignored" with a traceback on the user's terminal at Ctrl-C, and
    the worker goes on. Then the signal is kept, and the worker stops where it next checks
    (``_stop_if_signalled``: between slices and between files), or the parent kills it after
    STOP_GRACE_SECONDS."""
    global _stop_signal
    if _collecting:
        _stop_signal = signum
        return
    raise SystemExit(128 + signum)


def _stop_if_signalled() -> None:
    if _stop_signal is not None:
        raise SystemExit(128 + _stop_signal)


def _die_with_parent() -> None:
    """Linux's parent-death signal: SIGTERM when the parent exits, even by SIGKILL."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        import resource

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit still bounds the file

"""Verify files or folders: rewrite each module in memory, then check it in an isolated worker."""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
import time
from pathlib import Path

from jaxify.config import Options
from jaxify.discovery import iter_python_files, mentions_numpy_or_jax
from jaxify.engine import rewrite_text
from jaxify.linemap import LineMap
from jaxify.notebook import NotebookError, is_notebook, notebook_as_python, notebook_options
from jaxify.source import UnreadableSource, decode, read_regular_file, wide_bom
from jaxify.verify.functions import changed_functions
from jaxify.verify.isolation import DEFAULT_MEMORY_BYTES, WorkerRun, run_worker


@dataclasses.dataclass
class VerifySettings:
    examples: Path | None = None  # a sidecar examples file (one for every module)
    capture: str | None = None  # a command whose calls are recorded
    hypothesis: int = 50
    timeout: float = 300.0
    device: str | None = None
    memory_bytes: int | None = None
    sizes: tuple[int, ...] = ()  # input lengths to time each verified function at (verify --sizes)
    import_roots: tuple[str, ...] = ()  # folders the module's own imports are found in, besides its own


@dataclasses.dataclass
class ModuleReport:
    path: str
    functions: list[dict] = dataclasses.field(default_factory=list)
    findings: list[dict] = dataclasses.field(default_factory=list)  # module-level: import errors, hangs
    device: str | None = None
    changed: bool = False


def corpus_examples_for(path: Path) -> Path | None:
    """``corpus/programs/x.py`` finds its inputs in ``corpus/examples/x.py`` automatically."""
    if path.parent.name == "programs":
        candidate = path.parent.parent / "examples" / path.name
        if candidate.is_file():
            return candidate
    return None


def verify_paths(paths: list[Path], options: Options, settings: VerifySettings, map_files=map) -> list[ModuleReport]:
    """``map_files`` runs the per-file verification over the files (``verify --jobs`` passes a parallel one)."""
    files = list(iter_python_files(paths, options.exclude))
    captured = None
    with tempfile.TemporaryDirectory(prefix="jaxify-verify-") as scratch:
        if settings.capture:
            from jaxify.verify.capture import capture_calls

            captured = capture_calls(settings.capture, files, Path(scratch), settings.timeout)

        def verify_file(path: Path) -> ModuleReport | None:
            try:
                data = read_regular_file(path)  # a FIFO named *.py must not hang the run
                if not mentions_numpy_or_jax(data) and wide_bom(data) is None:
                    return None  # nothing jaxify would rewrite
                text = decode(data).text
                own = options
                if is_notebook(path):
                    text = notebook_as_python(text)
                    own = notebook_options(options)
            except (OSError, UnreadableSource, NotebookError) as error:
                return ModuleReport(str(path), findings=[{"line": 1, "message": f"cannot read: {error}"}])
            result = rewrite_text(text, str(path), own)
            if result.failed:
                return ModuleReport(str(path), findings=[
                    {"line": f.line, "message": f"not rewritten: {f.code} {f.message}"} for f in result.findings])
            examples = settings.examples or corpus_examples_for(path)
            calls = captured.get(str(path.resolve())) if captured else None
            return verify_source(text, result.rewritten, path, own, settings, examples=examples,
                                 captured=calls, findings=result.findings)

        return [report for report in map_files(verify_file, files) if report is not None]


def verify_source(original: str, rewritten: str | None, path: Path, options: Options, settings: VerifySettings,
                  examples: Path | None = None, captured: Path | None = None,
                  reference: Path | None = None, findings=()) -> ModuleReport:
    """Verify ``rewritten`` against ``original`` (the text of the module at ``path``).

    Also the entry point for tests that plant a wrong rewrite: they pass both texts directly. A
    ``reference`` module (the benchmark's hand-written JAX) is timed on the same inputs. ``findings``
    are the rewrite's: a function with a JX807 kept its NumPy computation and is called as before.
    """
    report = ModuleReport(str(path), changed=rewritten is not None and rewritten != original)
    if not report.changed:
        return report
    kept_numpy = frozenset(finding.line for finding in findings if finding.code == "JX807")
    functions = changed_functions(original, rewritten, options, kept_numpy)
    if not functions:
        return report
    line_map = LineMap(original, rewritten)
    with tempfile.TemporaryDirectory(prefix="jaxify-verify-") as scratch:
        job_dir = Path(scratch)
        module_name = f"{path.stem}.py"  # a notebook is verified as the module of its code cells
        original_copy = job_dir / "original" / module_name
        rewritten_copy = job_dir / "rewritten" / module_name
        for copy, text in ((original_copy, original), (rewritten_copy, rewritten)):
            copy.parent.mkdir()
            copy.write_text(text, encoding="utf-8")
        job = {
            "original": str(original_copy), "rewritten": str(rewritten_copy), "user_dir": str(path.parent.resolve()),
            "examples": str(Path(examples).resolve()) if examples else None,  # the worker runs elsewhere
            "captured": str(Path(captured).resolve()) if captured else None,
            "reference": str(Path(reference).resolve()) if reference else None,
            "hypothesis": settings.hypothesis, "precision": options.precision, "key_name": options.key_name,
            "sizes": list(settings.sizes), **package_of(path, settings.import_roots),
        }
        _run_until_every_function_is_reported(report, job, job_dir, functions, settings, line_map)
    return report


def package_of(path: Path, import_roots: tuple[str, ...]) -> dict:
    """The package the module is in (folders with ``__init__.py`` above it), so that the copies'
    relative imports resolve, and the import roots with the folder that package is imported from."""
    folder, parts = path.resolve().parent, []
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    roots = [*import_roots, str(folder)] if parts else list(import_roots)
    return {"package": ".".join(parts) or None, "import_roots": roots}


def _run_until_every_function_is_reported(report: ModuleReport, job: dict, job_dir: Path, functions, settings,
                                          line_map) -> None:
    """Run workers until each function has a result: a function that ends its process (a crash,
    ``os._exit``, the memory cap) fails, and a fresh worker checks the ones after it. The module's
    time limit is shared by all of them; functions it leaves unchecked are a module finding."""
    kwargs = {"memory_bytes": settings.memory_bytes} if settings.memory_bytes else {}
    deadline = time.monotonic() + settings.timeout
    remaining = list(functions)
    for attempt in itertools.count():
        attempt_dir = job_dir / f"run{attempt}"
        attempt_dir.mkdir()
        run = run_worker({**job, "functions": [dataclasses.asdict(f) for f in remaining]}, attempt_dir,
                         max(deadline - time.monotonic(), 1.0), device=settings.device, **kwargs)
        reported = _collect(report, run, remaining, line_map, settings)
        left = [function for function in remaining if function.name not in reported]
        if not left or len(left) == len(remaining):
            break  # all done, or no progress (the module itself cannot be imported or run)
        remaining = left
        if time.monotonic() >= deadline:
            break
    unchecked = [function.name for function in functions
                 if function.name not in {result["function"] for result in report.functions}]
    if unchecked and not report.findings:
        why = (f"the module's time limit of {settings.timeout:g} s was used up" if time.monotonic() >= deadline
               else "the verification process ended before reaching them")
        report.findings.append({"line": 1, "message": f"not checked: {', '.join(unchecked)} ({why})"})


def _death(run: WorkerRun, settings) -> str:
    """How the worker ended, for the function it was running."""
    if run.returncode is None:
        return f"did not finish within {settings.timeout:g} s (a hang or a very slow function)"
    if run.out_of_memory:
        return f"ran out of memory (cap {(settings.memory_bytes or DEFAULT_MEMORY_BYTES) >> 20} MiB)"
    if run.returncode == 0:
        return ("the verification process exited (exit code 0) while this function ran: the code calls "
                "sys.exit or os._exit, so it cannot be verified")
    return f"the verification process died (exit code {run.returncode})" + (
        f": {run.stderr_last_line}" if run.stderr_last_line else "")


def _collect(report: ModuleReport, run: WorkerRun, functions, line_map, settings) -> set[str]:
    """Add the run's results to ``report``; the names of the functions it reported on."""
    running, reported = None, set()
    for event in run.events:
        kind = event.pop("event")
        if kind == "device":
            report.device = event["device"]
        elif kind == "module_error":
            report.findings.append({"line": 1, "message": event["message"]})
        elif kind == "start":
            running = event["function"]
        elif kind == "result":
            for finding in event["findings"]:  # a jit error's line is in the rewritten text
                if finding.get("rewritten_line"):
                    finding["line"] = line_map(finding["rewritten_line"])
            report.functions.append(event)
            reported.add(event["function"])
            running = None
    finished = run.returncode == 0 and running is None
    if finished:
        return reported
    stuck = next((f for f in functions if f.name == running), None)
    if stuck is not None:
        report.functions.append({
            "function": stuck.name, "line": stuck.line, "evidence": "failed", "equivalent": False,
            "inputs": 0, "findings": [{"kind": "isolation", "line": stuck.line, "message": _death(run, settings)}],
            "notes": [],
        })
        reported.add(stuck.name)
    elif not report.findings:
        report.findings.append({"line": 1, "message": _death(run, settings)})
    return reported

"""Verify files or folders: rewrite each module in memory, then check it in an isolated worker."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from jaxify.codemod import LineMap
from jaxify.config import Options
from jaxify.discovery import iter_python_files, mentions_numpy_or_jax
from jaxify.engine import rewrite_text
from jaxify.notebook import NotebookError, is_notebook, notebook_as_python
from jaxify.source import UnreadableSource, decode
from jaxify.verify.functions import changed_functions
from jaxify.verify.isolation import run_worker


@dataclasses.dataclass
class VerifySettings:
    examples: Path | None = None  # a sidecar examples file (one for every module)
    capture: str | None = None  # a command whose calls are recorded
    hypothesis: int = 50
    timeout: float = 300.0
    device: str | None = None
    memory_bytes: int | None = None
    sizes: tuple[int, ...] = ()  # input lengths to time each verified function at (verify --sizes)


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
                data = path.read_bytes()
                if not mentions_numpy_or_jax(data):
                    return None  # nothing jaxify would rewrite
                text = decode(data).text
                if is_notebook(path):
                    text = notebook_as_python(text)
            except (OSError, UnreadableSource, NotebookError) as error:
                return ModuleReport(str(path), findings=[{"line": 1, "message": f"cannot read: {error}"}])
            result = rewrite_text(text, str(path), options)
            if result.failed:
                return ModuleReport(str(path), findings=[
                    {"line": f.line, "message": f"not rewritten: {f.code} {f.message}"} for f in result.findings])
            examples = settings.examples or corpus_examples_for(path)
            calls = captured.get(str(path.resolve())) if captured else None
            return verify_source(text, result.rewritten, path, options, settings, examples=examples,
                                 captured=calls)

        return [report for report in map_files(verify_file, files) if report is not None]


def verify_source(original: str, rewritten: str | None, path: Path, options: Options, settings: VerifySettings,
                  examples: Path | None = None, captured: Path | None = None,
                  reference: Path | None = None) -> ModuleReport:
    """Verify ``rewritten`` against ``original`` (the text of the module at ``path``).

    Also the entry point for tests that plant a wrong rewrite: they pass both texts directly. A
    ``reference`` module (the benchmark's hand-written JAX) is timed on the same inputs.
    """
    report = ModuleReport(str(path), changed=rewritten is not None and rewritten != original)
    if not report.changed:
        return report
    functions = changed_functions(original, rewritten, options)
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
            "functions": [dataclasses.asdict(function) for function in functions],
            "examples": str(Path(examples).resolve()) if examples else None,  # the worker runs elsewhere
            "captured": str(Path(captured).resolve()) if captured else None,
            "reference": str(Path(reference).resolve()) if reference else None,
            "hypothesis": settings.hypothesis, "precision": options.precision, "key_name": options.key_name,
            "sizes": list(settings.sizes),
        }
        kwargs = {"memory_bytes": settings.memory_bytes} if settings.memory_bytes else {}
        events, death = run_worker(job, job_dir, settings.timeout, device=settings.device, **kwargs)
    _collect(report, events, death, functions, line_map)
    return report


def _collect(report: ModuleReport, events: list[dict], death: str | None, functions, line_map) -> None:
    running = None
    for event in events:
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
            running = None
    if death is not None:
        stuck = next((f for f in functions if f.name == running), None)
        if stuck is not None:
            report.functions.append({
                "function": stuck.name, "line": stuck.line, "evidence": "failed", "equivalent": False,
                "inputs": 0, "findings": [{"kind": "isolation", "line": stuck.line, "message": death}],
                "notes": [],
            })
        else:
            report.findings.append({"line": 1, "message": death})

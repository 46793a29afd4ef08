"""The corpus: every legacy program has example inputs and a hand-written JAX reference, both of
which jaxify leaves alone, and the reference computes what the program computes on those inputs
(random programs by distribution, through the same checks ``jaxify verify`` runs). The corpus
holds at least 30 programs. Every loop_ and cond_ example module also declares working-size calls
for the benchmarks (``jaxify_benchmark_examples()``), which nothing else runs."""

from __future__ import annotations

import ast
import copy
import sys
import types
from pathlib import Path

import pytest

from jaxify.config import Options
from jaxify.engine import rewrite_text
from jaxify.verify.samples import declared_examples, import_file
from jaxify.verify.worker import check_function

CORPUS = Path(__file__).parent.parent / "corpus"
PROGRAMS = sorted(path.stem for path in (CORPUS / "programs").glob("*.py"))
PREFIXES = ("api_", "vec_", "random_", "inplace_", "loop_", "cond_")
BENCHMARKED = [name for name in PROGRAMS if name.startswith(("loop_", "cond_"))]  # by loops.py / corpus.py at `work`

sys.path.insert(0, str(CORPUS.parent / "benchmarks"))
import speed  # noqa: E402


def _functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_has_examples_and_reference(name):
    assert name.startswith(PREFIXES), f"{name}: name must start with its family prefix"
    for folder in ("examples", "references"):
        path = CORPUS / folder / f"{name}.py"
        assert path.is_file(), f"missing {path}"
        text = path.read_text(encoding="utf-8")
        assert "# jaxify: skip-file" in text.splitlines()[:3], f"{path} must start with '# jaxify: skip-file'"
        assert rewrite_text(text, str(path), Options()).rewritten is None, f"jaxify changes {path}"
    examples = import_file(CORPUS / "examples" / f"{name}.py", f"corpus_examples_{name}")
    declared, _ = declared_examples(examples)
    program_functions = _functions(CORPUS / "programs" / f"{name}.py")
    reference_functions = _functions(CORPUS / "references" / f"{name}.py")
    for function in program_functions:
        assert declared.get(function), f"{name}: no example inputs for {function}"
        assert function in reference_functions, f"{name}: the reference has no {function}"


def _runnable_program(name: str, scratch: Path):
    """The legacy program; one written against APIs the installed JAX/NumPy removed is migrated
    by jaxify's API migration (JX5) first, since it cannot run as written."""
    path = CORPUS / "programs" / f"{name}.py"
    try:
        program = import_file(path, f"corpus_program_{name}")
        examples, _ = declared_examples(import_file(CORPUS / "examples" / f"{name}.py", f"corpus_try_{name}"))
        for function, calls in examples.items():
            args, kwargs = calls[0]
            getattr(program, function)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        return program
    except (ImportError, AttributeError):
        migrated = rewrite_text(path.read_text(encoding="utf-8"), str(path), Options(select=("JX5",)))
        assert migrated.rewritten is not None, f"{name} cannot run as written and jaxify does not migrate it"
        target = scratch / path.name
        target.write_text(migrated.rewritten, encoding="utf-8")
        return import_file(target, f"corpus_migrated_{name}")


@pytest.mark.parametrize("name", PROGRAMS)
def test_reference_matches_program_on_its_examples(name, tmp_path):
    program = _runnable_program(name, tmp_path)
    reference = import_file(CORPUS / "references" / f"{name}.py", f"corpus_reference_{name}")
    examples, statics = declared_examples(import_file(CORPUS / "examples" / f"{name}.py", f"corpus_ex_{name}"))
    job = {"hypothesis": 0, "precision": "keep", "key_name": "key", "timing": False, "gradient": False, "random_runs": 100,
           "rewritten": str(CORPUS / "references" / f"{name}.py")}
    for function, calls in examples.items():
        result = check_function(job, {"name": function, "line": 1}, program, reference, calls, "examples", statics)
        assert result["equivalent"] is True and result["inputs"] >= 1, (function, result["findings"])


def test_corpus_holds_at_least_thirty_programs():
    assert len(PROGRAMS) >= 30, f"the corpus has {len(PROGRAMS)} programs; the issue asks for at least 30"


@pytest.mark.parametrize("name", BENCHMARKED)
def test_loop_examples_declare_a_working_size_call_for_every_loop_function(name):
    """Builds the working-size inputs (cheap) without running the functions on them (not cheap)."""
    examples = import_file(CORPUS / "examples" / f"{name}.py", f"corpus_work_{name}")
    assert callable(getattr(examples, speed.BENCHMARK_EXAMPLES_FUNCTION, None)), \
        f"{name}: no {speed.BENCHMARK_EXAMPLES_FUNCTION}() for the benchmarks' `work` column"
    work = speed.benchmark_examples(examples)
    loops = speed.loop_functions((CORPUS / "programs" / f"{name}.py").read_text(encoding="utf-8"))
    assert set(work) == set(loops), f"{name}: the working-size calls must name exactly its loop functions"
    for function in loops:
        assert len(work[function]) == 1, f"{name}.{function}: one working-size call (the benchmarks time the first)"
        args, kwargs = work[function][0]
        assert args or kwargs


def test_verify_reads_only_the_toy_sized_examples():
    """``jaxify verify`` and these tests must not build or run the working-size inputs (CI time)."""
    def never_called():
        raise AssertionError("declared_examples ran the benchmarks' hook")

    examples = types.ModuleType("examples_with_a_benchmark_hook")
    examples.jaxify_examples = lambda: {"f": [(1.0,)]}
    setattr(examples, speed.BENCHMARK_EXAMPLES_FUNCTION, never_called)
    assert declared_examples(examples) == ({"f": [((1.0,), {})]}, {})

"""The corpus's loop programs through the whole pipeline, function by function.

Every loop gets a JX3 finding, or its function a finding that names what blocks it. A function whose loops were all converted runs under ``jax.jit``
and computes what the original computed (random ones by distribution, through the checks
``jaxify verify`` runs); it is also called as legacy callers call it (NumPy arguments, no jit). A
function holding a loop that was left alone must say why (JX305 names the statement and its line)
and, called as legacy callers call it, must still compute what the original computed: a refusal
may cost speed, never results. References are checked by test_corpus_layout.
"""

from __future__ import annotations

import ast
import copy
import inspect

import jax
import numpy as np
import pytest

from harness import REPO, assert_same, load_module, rewrite
from jaxify.findings import Status
from jaxify.verify.compare import compare
from jaxify.verify.distribution import same_distribution
from jaxify.verify.samples import declared_examples, import_file
from jaxify.verify.worker import check_function

CORPUS = REPO / "corpus"
RANDOM_RUNS = 100
EAGER_RANDOM_RUNS = 30  # called eagerly, a loop left alone dispatches JAX operations one by one: slow

# Programs every loop of which jaxify converts today: a loop left alone in them is a regression.
CONVERTED_PROGRAMS = {
    "loop_elementwise_map", "loop_euler_ode", "loop_iir_filter", "loop_jacobi_solver",
    "loop_logistic_recurrence", "loop_newton_iteration", "loop_ode_rk4", "loop_pairwise_distances",
    "loop_power_iteration", "loop_prefix_sums", "loop_trajectory",
}
# Functions whose rewrite cannot run under jax.jit for a reason outside the loop codemod.
NOT_JITTABLE = {
    # `points[labels == j]` selects with a boolean mask (JX702): its shape depends on the data
    ("loop_kmeans", "kmeans"),
}
PROGRAMS = sorted((CORPUS / "programs").glob("loop_*.py"))


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda path: path.stem)
def test_corpus_loop_program_is_rewritten_or_refused_and_matches(program):
    text = program.read_text(encoding="utf-8")
    # --unsafe: in a module that does not enable x64 the in-place codemod converts NumPy arrays to
    # jax arrays only on request (float64 -> float32 outside tests); the tests run with x64 on.
    result = rewrite(text, ["--unsafe"], path=program.name)
    assert not result.failed, [f.format() for f in result.findings]
    # A loop without a JX3 finding is only acceptable in a function another finding blocks (it
    # names why the function keeps its NumPy computation, e.g. an array the analysis cannot prove).
    unreported = _loop_lines(text) - {f.line for f in result.findings if f.code.startswith("JX3")}
    refused = _functions_holding(text, {f.line for f in result.findings if f.status is not Status.FIXED})
    silent = _functions_holding(text, unreported)
    assert silent <= refused, f"loops at lines {sorted(unreported)} have no JX3 finding and no blocker"
    left_alone = [f for f in result.findings if f.code == "JX305"]
    assert not ((left_alone or silent) and program.stem in CONVERTED_PROGRAMS), [f.format() for f in result.findings]
    for finding in left_alone:
        assert "(line " in finding.message and finding.hint, finding.format()
    kept_numpy = {f.line for f in result.findings if f.code == "JX807"}  # the gate keeps these functions NumPy
    blocked = silent | _functions_holding(text, {f.line for f in left_alone} | kept_numpy)
    examples, statics = declared_examples(import_file(CORPUS / "examples" / program.name, f"ex_{program.stem}"))
    original = import_file(program, f"corpus_loops_original_{program.stem}")
    rewritten = load_module(result.rewritten or text, program.stem)
    for name, calls in examples.items():
        smallest = [min(calls, key=_size)]  # eager calls of a partial rewrite can be very slow (issue 12)
        if name not in blocked and (program.stem, name) not in NOT_JITTABLE:
            _assert_jitted_rewrite_matches(original, rewritten, name, calls, statics, result.rewritten or text)
        _assert_eager_calls_match(getattr(original, name), getattr(rewritten, name), smallest,
                                  by_distribution=name in blocked)


def _assert_jitted_rewrite_matches(original, rewritten, name, calls, statics, rewritten_text):
    job = {"hypothesis": 0, "precision": "keep", "key_name": "key", "timing": False, "gradient": False,
           "random_runs": RANDOM_RUNS, "rewritten": rewritten_text}
    outcome = check_function(job, {"name": name, "line": 1}, original, rewritten, calls, "examples", statics)
    assert outcome["equivalent"] is True and outcome["inputs"] >= 1, (name, outcome["findings"])


def _assert_eager_calls_match(original, rewritten, calls, by_distribution):
    """The rewrite called as before: NumPy arguments, no jit. A random function whose distribution
    was checked under jit is run once (same structure, shapes and dtype kinds); one that does not
    jit is compared by distribution here."""
    takes_key = "key" in inspect.signature(rewritten).parameters
    for args, kwargs in calls:
        if _draws_random_numbers(original) and by_distribution:
            _assert_same_distribution(original, rewritten, args, kwargs, takes_key)
            continue
        if _draws_random_numbers(original):
            key = {"key": jax.random.key(0)} if takes_key else {}
            expected = _zeros_like(original(*copy.deepcopy(args), **copy.deepcopy(kwargs)))
            actual = _zeros_like(rewritten(*copy.deepcopy(args), **copy.deepcopy(kwargs), **key))
            assert compare(expected, actual).equal, f"{original.__name__}: {compare(expected, actual).message}"
            continue
        expected = original(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        actual = rewritten(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        assert_same(expected, actual, rtol=1e-9, atol=1e-12, path=f"{original.__name__} (NumPy arguments, no jit)")


def _assert_same_distribution(original, rewritten, args, kwargs, takes_key):
    original_runs, rewritten_runs = [], []
    for seed in range(EAGER_RANDOM_RUNS):
        np.random.seed(seed)
        original_runs.append(_leaves(original(*copy.deepcopy(args), **copy.deepcopy(kwargs))))
        np.random.seed(seed)
        key = {"key": jax.random.key(seed)} if takes_key else {}
        rewritten_runs.append(_leaves(rewritten(*copy.deepcopy(args), **copy.deepcopy(kwargs), **key)))
    same, _, message = same_distribution(original_runs, rewritten_runs)
    assert same, f"{original.__name__} (NumPy arguments, no jit): {message}"


def _size(call) -> int:
    args, kwargs = call
    return sum(np.size(value) for value in [*args, *kwargs.values()] if isinstance(value, np.ndarray))


def _zeros_like(tree):
    return jax.tree_util.tree_map(lambda leaf: np.zeros_like(np.asarray(leaf)), tree)


def _leaves(tree) -> list[np.ndarray]:
    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(tree)]


def _draws_random_numbers(function) -> bool:
    return "np.random." in inspect.getsource(inspect.getmodule(function))


def _functions_holding(text: str, lines: set[int]) -> set[str]:
    """Names of the top-level functions whose body spans one of ``lines``."""
    return {node.name for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)
            and any(node.lineno <= line <= node.end_lineno for line in lines)}


def _loop_lines(text: str) -> set[int]:
    return {node.lineno for node in ast.walk(ast.parse(text)) if isinstance(node, (ast.For, ast.While))}

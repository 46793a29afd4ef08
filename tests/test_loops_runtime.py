"""Every loop rewrite runs under `jax.jit` and computes what the original loop computed.

Each fixture under tests/fixtures/loops/ with an expected output and a `<case>.examples.py`
sidecar (see ``harness.Examples``; the corpus's format) is run twice per example: the original, eagerly, and the rewritten code, under `jax.jit`. The corpus's loop
programs are rewritten through the whole pipeline and checked the same way (their references are
checked by test_corpus_layout).
"""

from __future__ import annotations

import copy

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from harness import FIXTURES, REPO, assert_same, examples_of, load_module, rewrite

LOOP_FIXTURES = FIXTURES / "loops"
CASES = sorted(path for path in LOOP_FIXTURES.glob("*.examples.py"))
PROGRAMS = sorted((REPO / "corpus" / "programs").glob("loop_*.py"))


def _as_jax(args):
    return tuple(jnp.asarray(a) if isinstance(a, (np.ndarray, np.generic)) else a for a in args)


def _check_module(original, rewritten, examples, static, original_is_numpy=False, program=""):
    """Run every example through both modules (the rewritten one under jax.jit); returns the count."""
    checked = 0
    for name, calls in examples.jaxify_examples().items():
        function = getattr(rewritten, name)
        mode = NOT_JITTABLE.get((program, name), "jit")
        if mode == "skip":
            continue
        already = hasattr(function, "lower")  # the rewrite jitted it (the default for what converts in full)
        jitted = jax.jit(function, static_argnames=static.get(name, ())) if mode == "jit" and not already else function
        for args in calls:
            expected = getattr(original, name)(*(args if original_is_numpy else _as_jax(args)))
            actual = jitted(*_as_jax(args))
            assert_same(expected, actual, rtol=1e-9, atol=1e-12, path=name)
            if original_is_numpy:  # legacy callers pass NumPy arrays, and call without jit
                eager = function(*copy.deepcopy(args))
                assert_same(expected, eager, rtol=1e-9, atol=1e-12, path=f"{name} (NumPy arguments, no jit)")
            checked += 1
    return checked


@pytest.mark.parametrize("examples_path", CASES, ids=lambda p: p.name.removesuffix(".examples.py"))
def test_fixture_rewrite_matches_original_under_jit(examples_path):
    case = examples_path.with_name(examples_path.name.replace(".examples.py", ".py"))
    expected = case.with_name(case.stem + ".expected.py")
    assert expected.exists(), f"{case.name} has examples but no rewrite to run them on"
    examples = examples_of(examples_path)
    original = load_module(case.read_text(encoding="utf-8"), "original")
    rewritten = load_module(expected.read_text(encoding="utf-8"), "rewritten")
    # a fixture written in legacy NumPy (no `ARRAYS = "jax"`) is also called without jit on NumPy arguments
    legacy = not examples.takes_jax_arrays
    assert _check_module(original, rewritten, examples.module, examples.static, original_is_numpy=legacy) > 0


# Functions whose rewrite cannot run under jax.jit for reasons outside the loop codemod: "eager"
# ones are checked without jit; "skip" ones hold a loop left alone (its JX305 finding is checked).
NOT_JITTABLE = {
    # `points[labels == j]` selects with a boolean mask (JX702): its shape depends on the data
    ("loop_kmeans", "kmeans"): "skip",
}


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_corpus_loop_program_is_rewritten_and_matches(program):
    text = program.read_text(encoding="utf-8")
    # --unsafe: in a module that does not enable x64 the in-place codemod converts NumPy arrays to
    # jax arrays only on request (float64 -> float32 outside tests); the tests run with x64 on.
    # --partial: every loop's own JX3 finding is checked (the gate would fold those of a function
    # that keeps NumPy into one JX807; tests/test_function_gate.py checks the gate).
    result = rewrite(text, ["--unsafe", "--partial"], path=program.name)
    assert not result.failed, result.findings
    loops = _loop_lines(text)
    reported = {f.line for f in result.findings if f.code.startswith("JX3")}
    assert loops <= reported, f"loops at lines {sorted(loops - reported)} have no JX3 finding"
    left_alone = [f.format() for f in result.findings if f.code == "JX305"]
    assert bool(left_alone) == (program.stem == "loop_kmeans"), left_alone
    examples = load_module((REPO / "corpus" / "examples" / program.name).read_text(encoding="utf-8"), "examples")
    static = getattr(examples, "STATIC_ARGNAMES", {})
    original = load_module(text, "original")
    rewritten = load_module(result.rewritten, "rewritten")
    assert _check_module(original, rewritten, examples, static, original_is_numpy=True, program=program.stem) > 0


def _loop_lines(text: str) -> set[int]:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(cst.parse_module(text))
    positions = wrapper.resolve(PositionProvider)
    return {positions[node].start.line for node in positions if isinstance(node, (cst.For, cst.While))}

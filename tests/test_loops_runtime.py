"""Every loop rewrite runs under `jax.jit` and computes what the original loop computed.

Each fixture under tests/fixtures/loops/ with an expected output and a `<case>.examples.py`
sidecar (see ``harness.Examples``; the corpus's format) is run twice per example: the original, eagerly, and the rewritten code, under `jax.jit`. The corpus's loop
programs are checked by test_corpus_loops (their references by test_corpus_layout).
"""

from __future__ import annotations

import copy

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from harness import FIXTURES, assert_same, examples_of, load_module

LOOP_FIXTURES = FIXTURES / "loops"
CASES = sorted(path for path in LOOP_FIXTURES.glob("*.examples.py"))


def _as_jax(args):
    return tuple(jnp.asarray(a) if isinstance(a, (np.ndarray, np.generic)) else a for a in args)


def _check_module(original, rewritten, examples, static, original_is_numpy=False):
    """Run every example through both modules (the rewritten one under jax.jit); returns the count."""
    checked = 0
    for name, calls in examples.jaxify_examples().items():
        function = getattr(rewritten, name)
        already = hasattr(function, "lower")  # the rewrite jitted it (the default for what converts in full)
        jitted = function if already else jax.jit(function, static_argnames=static.get(name, ()))
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

"""The in-place codemod's rewrites compute what NumPy computed.

The small legacy programs are fixtures (tests/fixtures/inplace/runtime_*.py with their
``.examples.py`` sidecars), run by test_fixture_runtime; here are the checks beyond "same result",
and the corpus's inplace_ programs. The original runs on NumPy arrays (copies, so the arrays it
writes in place can be read afterwards); the rewritten one runs under ``jax.jit``. The results must
match, dtype included, and so must every argument the original wrote in place: under the "mutated
parameters are returned" contract the rewritten function returns those after its own result.
"""

from __future__ import annotations

import textwrap

import jax
import numpy as np
import pytest

from harness import REPO, assert_same, assert_same_numpy_dtypes, call_on_copies, load_module, rewrite

# What the NumPy-namespace codemod (JX607) puts after the imports of a module it rewrites: with
# it, jax.numpy keeps NumPy's float64, so converting a NumPy array before `.at` is exact.
X64 = 'import jax\njax.config.update("jax_enable_x64", True)\n'


def test_repeated_index_keeps_numpy_buffered_semantics():
    """``x[idx] += 1`` bumps a repeated place once in NumPy; ``np.add.at`` bumps it every time."""
    source = X64 + textwrap.dedent(
        """
        import numpy as np

        def counts(n, idx):
            once = np.zeros(n)
            once[idx] += 1
            every = np.zeros(n)
            np.add.at(every, idx, 1)
            return once, every
        """
    )
    result = rewrite(source, ["--select", "JX1", "--assume-numeric-inputs"])
    rewritten = load_module(result.rewritten, "rewritten").counts
    once, every = jax.jit(rewritten, static_argnames=("n",))(4, np.array([0, 0, 1, 1, 1]))
    assert np.asarray(once).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert np.asarray(every).tolist() == [2.0, 3.0, 0.0, 0.0]


def test_caller_sees_the_returned_parameter():
    """A private helper that wrote its argument now returns it, and the caller rebinds it."""
    source = X64 + textwrap.dedent(
        """
        import numpy as np

        def _bump(a, k):
            a[k] += 1.0

        def twice(n):
            x = np.zeros(n)
            _bump(x, 1)
            _bump(x, 1)
            return x
        """
    )
    result = rewrite(source, ["--select", "JX1"])
    assert "x = _bump(x, 1)" in result.rewritten
    rewritten = load_module(result.rewritten, "rewritten").twice
    assert np.asarray(jax.jit(rewritten, static_argnames=("n",))(3)).tolist() == [0.0, 2.0, 0.0]


CORPUS = REPO / "corpus"
# The inplace_ programs whose rewrite needs only this codemod (the others also need the
# conditional rewrites of JX4 before they can run under jit).
INPLACE_PROGRAMS = ["inplace_buffers", "inplace_elimination", "inplace_helpers", "inplace_histogram",
                    "inplace_particles"]


def _findings_by_function(result, tree_source):
    """Function name -> findings inside it, from the line ranges of the top-level functions."""
    import ast

    ranges = {
        node.name: (node.lineno, node.end_lineno)
        for node in ast.parse(tree_source).body
        if isinstance(node, ast.FunctionDef)
    }
    found = {name: [] for name in ranges}
    for finding in result.findings:
        for name, (start, end) in ranges.items():
            if start <= finding.line <= end:
                found[name].append(finding)
    return found


@pytest.mark.parametrize("name", INPLACE_PROGRAMS)
def test_corpus_program_rewrite_matches_under_jit(name):
    """Every function of an inplace_ corpus program that jaxify rewrote completely runs under jit
    and computes what the legacy program computed on its examples (mutated arguments included)."""
    source = X64 + (CORPUS / "programs" / f"{name}.py").read_text(encoding="utf-8")
    result = rewrite(source, ["--select", "JX1", "--unsafe"])
    assert not result.failed, result.findings
    examples_module = load_module((CORPUS / "examples" / f"{name}.py").read_text(encoding="utf-8"), "examples")
    examples = examples_module.jaxify_examples()
    statics = getattr(examples_module, "STATIC_ARGNAMES", {})
    original = load_module(source, "original")
    rewritten = load_module(result.rewritten or source, "rewritten")
    findings = _findings_by_function(result, source)
    checked = 0
    for function, calls in examples.items():
        if any(f.status.value != "fixed" for f in findings[function]):
            continue  # refused somewhere inside: its finding says why, and it stays NumPy
        returned = _returned_parameters(result, function)
        for args in calls:
            expected, after = call_on_copies(getattr(original, function), args)
            actual = jax.jit(getattr(rewritten, function), static_argnames=statics.get(function, ()))(*args)
            if returned:
                code = getattr(original, function).__code__
                params = list(code.co_varnames[: code.co_argcount])
                written = tuple(after[params.index(p)] for p in returned)
                if expected is None:
                    expected = written[0] if len(written) == 1 else written
                elif not _already_returned(result, function):
                    expected = (expected, *written)
            assert_same(expected, actual, path=f"{name}.{function}")
            assert_same_numpy_dtypes(expected, actual)
            checked += 1
    assert checked, f"{name}: no function was rewritten completely"


def _returned_parameters(result, function):
    """The parameters a JX107 finding says ``function`` now hands back, in parameter order."""
    import re

    for finding in result.findings:
        if finding.code == "JX107" and finding.message.startswith(f"`{function}` writes "):
            return re.findall(r"`(\w+)`", finding.message.split(" in place")[0])[1:]
    return []


def _already_returned(result, function):
    return any(
        f.code == "JX107" and f.message.startswith(f"`{function}` writes ") and "and returns it" in f.message
        for f in result.findings
    )

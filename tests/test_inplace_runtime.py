"""The in-place codemod's rewrites compute what NumPy computed.

Each case is a small legacy NumPy program. The original runs on NumPy arrays (copies, so the
arrays it writes in place can be read afterwards); the rewritten one runs under ``jax.jit``. The
results must match, dtype included, and so must every argument the original wrote in place: under
the "mutated parameters are returned" contract the rewritten function returns those after its own
result.
"""

from __future__ import annotations

import textwrap

import jax
import numpy as np
import pytest

from harness import REPO, assert_same, load_module, rewrite

RNG = np.random.default_rng(1234)
VEC = RNG.normal(size=8)
IDX_REPEATED = np.array([0, 0, 3, 5, 5, 5])
MAT = RNG.normal(size=(4, 4))


# What the NumPy-namespace codemod (JX607) puts after the imports of a module it rewrites: with
# it, jax.numpy keeps NumPy's float64, so converting a NumPy array before `.at` is exact.
X64 = 'import jax\njax.config.update("jax_enable_x64", True)\n'


def _case(source, function, args, *, static=(), mutated=(), flags=("--select", "JX1")):
    return pytest.param(X64 + textwrap.dedent(source), function, args, static, mutated, list(flags), id=function)


CASES = [
    _case(
        """
        import numpy as np

        def stencil(signal):
            out = np.zeros(signal.shape)
            out[1:-1] = (signal[:-2] + signal[2:]) / 2
            out[0] = signal[0]
            out[-1] += signal[-1] * 3.0
            out[2:5] *= 2.0
            out[3] /= 4.0
            out[4] **= 2
            out[5] //= 0.5
            return out
        """,
        "stencil", (VEC,),
    ),
    _case(
        """
        import numpy as np

        def buffered(n, idx):
            hits = np.zeros(n)
            hits[idx] += 1
            return hits
        """,
        "buffered", (8, IDX_REPEATED), static=("n",),
    ),
    _case(
        """
        import numpy as np

        def accumulated(n, idx, w):
            hits = np.zeros(n)
            np.add.at(hits, idx, w)
            peak = np.full(n, -10.0)
            np.maximum.at(peak, idx, w)
            signs = np.ones(n)
            np.negative.at(signs, idx)
            return hits, peak, signs
        """,
        "accumulated", (8, IDX_REPEATED, VEC[:6]), static=("n",),
    ),
    _case(
        """
        import numpy as np

        def casts(n):
            k = np.arange(n)
            k[0] += 0.7
            k[1] /= 2
            k[2] -= 2.5
            k[3:5] += 2
            small = np.zeros(3, dtype=np.float32)
            small[0] = 1.0 / 3.0
            small += np.float64(1e-9)
            return k, small
        """,
        "casts", (6,), static=("n",),
    ),
    _case(
        """
        import numpy as np

        def masked(x: np.ndarray):
            y = x * 2.0
            y[y > 1.0] = 1.0
            y[y < -1.0] += 0.5
            z = np.arange(8)
            z[z > 3] = 2.5
            return y, z
        """,
        "masked", (VEC,),
    ),
    _case(
        """
        import numpy as np

        def whole(x: np.ndarray, m: np.ndarray):
            a = x.copy()
            a.sort()
            b = np.zeros(x.shape)
            b.fill(2.5)
            c = np.zeros(x.shape)
            np.copyto(c, x)
            d = np.ones(x.shape)
            np.copyto(d, x, where=x > 0)
            e = np.zeros(6)
            np.put(e, [1, 4], 3.0)
            f = np.zeros((3, 3))
            np.fill_diagonal(f, 7.0)
            g = np.zeros(x.shape)
            np.multiply(x, x, out=g)
            h = m.copy()
            h.sort(axis=0)
            return a, b, c, d, e, f, g, h
        """,
        "whole", (VEC, MAT),
    ),
    _case(
        """
        import numpy as np

        def _normalize(v, scale):
            v /= scale

        def _set_first(a, value, really):
            if really:
                a[0] = value
                return 1
            return 0

        def run(x: np.ndarray, really):
            w = x * 1.0
            _normalize(w, 4.0)
            changed = _set_first(w, 0.1, really)
            return w, changed
        """,
        "run", (VEC, True), static=("really",),
    ),
    _case(
        """
        import numpy as np

        def _zero_first(a):
            a[0] = 0.0

        def public_update(v, i):
            v[i] = 5.0
            _zero_first(v)
        """,
        "public_update", (VEC, 3), static=("i",), mutated=("v",), flags=("--select", "JX1", "--unsafe"),
    ),
    _case(
        """
        import numpy as np

        def loop_fill(n):
            out = np.zeros((n, 2))
            for i in range(n):
                out[i, 0] = i
                out[i, 1] += i * 0.5
            return out
        """,
        "loop_fill", (5,), static=("n",),
    ),
    _case(
        """
        import numpy as np

        def min_max(x):
            best = np.full(x.shape, 0.25)
            best[0] = np.minimum(best[0], -1.0)
            best[1:3] = np.maximum(best[1:3], 0.5)
            return best
        """,
        "min_max", (VEC,),
    ),
]


def _call_original(function, args):
    copies = [np.array(a) if isinstance(a, np.ndarray) else a for a in args]
    return function(*copies), copies


@pytest.mark.parametrize("source, name, args, static, mutated, flags", CASES)
def test_rewrite_matches_numpy_under_jit(source, name, args, static, mutated, flags):
    result = rewrite(source, [*flags, "--assume-numeric-inputs"])  # the cases pass numeric arrays
    assert not result.failed, result.findings
    assert result.changed, "the case must exercise a rewrite"
    assert all(f.status.value == "fixed" for f in result.findings), [f.format() for f in result.findings]
    original = getattr(load_module(source, "original"), name)
    rewritten = getattr(load_module(result.rewritten, "rewritten"), name)

    expected, after = _call_original(original, args)
    actual = jax.jit(rewritten, static_argnames=static)(*args)

    params = list(original.__code__.co_varnames[: original.__code__.co_argcount])
    if mutated:
        written = tuple(after[params.index(p)] for p in mutated)
        expected = written[0] if expected is None and len(written) == 1 else (
            written if expected is None else (expected, *written)
        )
    assert_same(expected, actual)
    _assert_same_dtypes(expected, actual)


def _assert_same_dtypes(expected, actual):
    if isinstance(expected, (tuple, list)):
        for e, a in zip(expected, actual):
            _assert_same_dtypes(e, a)
    elif isinstance(expected, np.ndarray):
        assert np.asarray(actual).dtype == expected.dtype


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
            expected, after = _call_original(getattr(original, function), args)
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
            _assert_same_dtypes(expected, actual)
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

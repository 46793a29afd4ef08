"""The NumPy -> jax.numpy rewrite computes what the original computed, under `jax.jit`.

Every vectorised `corpus/programs/vec_*.py` program is rewritten through the whole pipeline. A function the
pipeline left partly alone (a refusal finding inside it, e.g. JX702 for a data-dependent output
shape) is checked eagerly on NumPy inputs; every other function runs under `jax.jit`, with the static argnames the shared analysis found, and
must match the original NumPy code: at float64 tolerance under the default `--precision keep`,
and at float32 tolerance under `--precision float32` with x64 switched off. The fixtures of
tests/fixtures/numpy_namespace/ with a `<case>.examples.py` sidecar run in test_fixture_runtime.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import libcst as cst
import numpy as np
import pytest
from libcst.metadata import MetadataWrapper

from harness import REPO, assert_same, load_module, options_from_flags, rewrite
from jaxify.analysis import analyze
from jaxify.findings import Status

# The vectorised programs: vec_ programs without Python loops (loops are the loop codemod's, and
# tests/test_loops_runtime.py runs them).
PROGRAMS = [
    path for path in sorted((REPO / "corpus" / "programs").glob("vec_*.py"))
    if not any(isinstance(node, (ast.For, ast.While)) for node in ast.walk(ast.parse(path.read_text())))
]


def _static_argnames(text: str) -> dict[str, tuple[str, ...]]:
    """What the analysis says must be static, per function, in the original program."""
    analysis = analyze(MetadataWrapper(cst.parse_module(text)), options_from_flags([]))
    return {info.name: info.static_argnames for info in analysis.functions}


def _as_jax(args):
    return tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args)


def _refused_functions(text: str, findings) -> set[str]:
    """Functions with a refusal inside, and the functions of the module that call them."""
    lines = {f.line for f in findings if f.status is Status.NOT_FIXED}
    functions = [node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)]
    refused = {f.name for f in functions if any(f.lineno <= line <= f.end_lineno for line in lines)}
    calls = {
        f.name: {n.func.id for n in ast.walk(f) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        for f in functions
    }
    while True:
        more = {name for name, called in calls.items() if called & refused} - refused
        if not more:
            return refused
        refused |= more


@functools.lru_cache(maxsize=None)
def _check_program(program, flags: tuple[str, ...], rtol, atol, first_only=False):
    """Rewrite ``program`` with ``flags`` and compare its examples; returns (count, refused)."""
    text = program.read_text(encoding="utf-8")
    result = rewrite(text, [*flags, "--assume-numeric-inputs"], path=program.name)  # the examples pass numeric arrays
    assert not result.failed, result.findings
    assert result.changed, f"{program.name}: nothing was rewritten"
    examples = load_module((REPO / "corpus" / "examples" / program.name).read_text(encoding="utf-8"), "examples")
    declared_static = getattr(examples, "STATIC_ARGNAMES", {})
    static = _static_argnames(text)
    refused = _refused_functions(text, result.findings)
    original = load_module(text, "original")
    rewritten = load_module(result.rewritten, "rewritten")
    checked = 0
    for name, calls in examples.jaxify_examples().items():
        # the analysis must find at least what the corpus author declared static
        assert set(declared_static.get(name, ())) <= set(static[name]), (name, static[name])
        if first_only:
            if name in refused:
                continue  # code left alone runs as before, whatever the precision
            calls = calls[:1]
        function = getattr(rewritten, name)
        if name not in refused:
            function = jax.jit(function, static_argnames=static[name])
        for args in calls:
            expected = getattr(original, name)(*args)
            actual = function(*(args if name in refused else _as_jax(args)))
            assert_same(expected, actual, rtol=rtol, atol=atol, path=f"{program.stem}.{name}")
            checked += 1
    return checked, refused


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_vectorised_program_matches_under_jit_in_float64(program):
    checked, _ = _check_program(program, (), rtol=1e-9, atol=1e-12)
    assert checked > 0


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_vectorised_program_matches_in_float32_when_asked(program):
    with jax.enable_x64(False):
        checked, _ = _check_program(program, ("--precision", "float32"), rtol=2e-4, atol=1e-4, first_only=True)
    assert checked > 0


def test_precision_keep_makes_a_fresh_process_compute_in_float64():
    """The inserted x64 switch, not the test suite's JAX_ENABLE_X64, keeps float64."""
    source = textwrap.dedent(
        """
        import numpy as np

        def drift(x):
            return np.sum(x + 1e-9) - np.sum(x)
        """
    )
    rewritten = rewrite(source, ["--assume-numeric-inputs"]).rewritten
    script = rewritten + textwrap.dedent(
        """
        import numpy
        x = numpy.full(1000, 1.0e4)
        value = drift(x)
        print(value.dtype, float(value))
        """
    )
    env = {"PATH": "/usr/bin:/bin", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    dtype, value = out.stdout.split()
    assert dtype == "float64"
    # 1000 * 1e-9, up to float64 rounding of sums near 1e7; in float32, 1e4 + 1e-9 == 1e4 gives 0
    assert abs(float(value) - 1e-6) < 5e-8


def test_array_created_then_written_in_place_runs_under_jit():
    """`y = np.empty_like(x)` filled element by element: after the in-place rewrite the creation
    moves to jax.numpy (a second pass), so the function traces with `x` traced."""
    source = (REPO / "tests" / "fixtures" / "numpy_namespace" / "creation_moves_once_writes_are_rewritten.py").read_text()
    original = load_module(source).smooth
    rewritten = load_module(rewrite(source, ["--assume-numeric-inputs"]).rewritten).smooth
    x = np.linspace(-1.0, 2.0, 9)
    assert_same(original(x, 0.3), jax.jit(rewritten)(x, 0.3))

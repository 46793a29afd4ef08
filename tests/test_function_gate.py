"""The function is the unit (jaxify/function_gate.py): a function converts in full and is jitted,
or keeps its NumPy computation with one JX807 finding naming its first blocker.

Runtime checks: every function of the gate fixtures, called on its examples, gives what the
original gives; a jitted one under jax.jit, a frozen one exactly (same values, same types).
"""

from __future__ import annotations


import numpy as np
import pytest

from harness import FIXTURES, assert_same, examples_of, load_module, rewrite
from jaxify import engine
from jaxify.config import Options
from jaxify.settings import Flags, Settings
from test_fixtures import flags_of

GATE = FIXTURES / "gate"
WITH_EXAMPLES = sorted(p for p in GATE.glob("*.py") if p.with_name(p.stem + ".examples.py").exists()
                       and not p.name.endswith((".expected.py", ".examples.py")))


def _gate_findings(result) -> dict[str, str]:
    """Function name -> the reason of its JX807 finding."""
    return {f.message.split("`")[1]: f.reason for f in result.findings if f.code == "JX807"}


@pytest.mark.parametrize("case", WITH_EXAMPLES, ids=lambda p: p.stem)
def test_converted_functions_match_under_jit_and_frozen_ones_are_unchanged(case):
    source = case.read_text(encoding="utf-8")
    result = rewrite(source, flags_of(source), path=case.name)
    assert not result.failed, result.findings
    frozen = _gate_findings(result)
    original, rewritten = load_module(source), load_module(result.rewritten or source)
    examples = examples_of(case.with_name(case.stem + ".examples.py"))
    for name, calls in examples.calls.items():
        new = getattr(rewritten, name)
        assert hasattr(new, "lower") == (name in examples.jitted_by_the_rewrite), name
        for args in calls:
            expected = getattr(original, name)(*args)
            actual = new(*args)
            if name in frozen:
                assert type(actual) is type(expected), f"{name} no longer returns what NumPy returned"
                assert_same(expected, actual, rtol=0.0, atol=0.0, path=name)
            else:
                assert_same(expected, actual, path=name)


def test_each_frozen_function_names_its_first_blocker_and_its_line():
    source = (GATE / "refused_loop_keeps_numpy.py").read_text()
    reasons = _gate_findings(rewrite(source, flags_of(source)))
    assert set(reasons) == {"positives", "report"}
    assert reasons["positives"].startswith("first blocker, line 10: JX305 loop left alone")
    assert "calls `support`, which is not jit-compatible" in reasons["report"]

    source = (GATE / "caller_writes_result.py").read_text()
    reasons = _gate_findings(rewrite(source, flags_of(source)))
    assert "`ranked` writes `r`, the array `normalized` returns, in place (`r.sort()`)" in reasons["normalized"]
    assert "`clipped` writes `y`, the array `scaled` returns, in place" in reasons["scaled"]

    source = (GATE / "random_with_frozen_caller.py").read_text()
    reasons = _gate_findings(rewrite(source, flags_of(source)))
    assert "`simulate` keeps drawing from NumPy's global random state and calls `_noise`" in reasons["_noise"]


def test_a_refusal_is_named_before_what_it_leaves_untraceable_and_callerless_functions_get_no_caller_reason():
    source = (
        "import numpy as np\n\n\n"
        "def histogram(x, bins, lo, hi):\n"
        "    counts = np.zeros(bins, dtype=np.int64)\n"
        "    for v in x:\n"
        "        counts[int((v - lo) / (hi - lo) * bins)] += 1\n"
        "    return counts\n\n\n"
        "def trapezoid(f_vals, dx):\n"
        "    total = 0.0\n"
        "    for i in range(1, len(f_vals)):\n"
        "        total += 0.5 * (f_vals[i] + f_vals[i - 1]) * dx\n"
        "    return total\n"
    )
    reasons = _gate_findings(rewrite(source))
    # the loop is the cause; `np.zeros` kept for the array it writes is its consequence
    assert reasons["histogram"].startswith("first blocker, line 6: JX305 loop left alone"), reasons
    # trapezoid moved only while histogram's rewrite put jax in the module; nobody calls it
    assert "trapezoid" not in reasons


def test_a_chain_of_callers_freezes_back_to_front():
    source = (
        "import numpy as np\n\n\n"
        "def leaf(x):\n    return np.unique(np.abs(x))\n\n\n"
        "def middle(x):\n    return np.sum(leaf(x)) * np.sum(x)\n\n\n"
        "def top(x):\n    return np.sqrt(middle(x))\n\n\n"
        "def alone(x):\n    return np.sqrt(x)\n"
    )
    result = rewrite(source, ["--assume-numeric-inputs"])
    reasons = _gate_findings(result)
    assert "calls `leaf`" in reasons["middle"] and "calls `middle`" in reasons["top"]
    assert "jnp." not in result.rewritten.split("def alone")[0]  # leaf, middle, top keep every NumPy call
    assert "@jax.jit\ndef alone(x):\n    return jnp.sqrt(x)" in result.rewritten
    x = np.array([-2.0, 1.0, 2.0])
    original, rewritten = load_module(source), load_module(result.rewritten)
    assert_same(original.top(x), rewritten.top(x), rtol=0.0, atol=0.0)
    assert isinstance(rewritten.top(x), np.floating)


def test_partial_and_a_selection_without_the_gate_move_statement_by_statement():
    source = (GATE / "refused_loop_keeps_numpy.py").read_text()
    for flags in (["--assume-numeric-inputs", "--partial"], ["--assume-numeric-inputs", "--select", "JX6"],
                  ["--assume-numeric-inputs", "--ignore", "JX807"]):
        result = rewrite(source, flags)
        assert "y = jnp.abs(x) * scale" in result.rewritten, flags
        assert not _gate_findings(result) and "@jax.jit" not in result.rewritten, flags


def test_partial_and_jit_are_configuration_keys(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.jaxify]\npartial = true\njit = false\n")
    options = Settings(Flags(), cwd=tmp_path).options_for(tmp_path / "m.py")
    assert options.partial is True and options.jit is False
    flagged = Settings(Flags(partial=False, jit=True), cwd=tmp_path).options_for(tmp_path / "m.py")
    assert flagged.partial is False and flagged.jit is True
    assert Options().jit is None and Options().partial is False  # the default: wrap what converts in full


def test_jit_flag_wraps_every_compatible_function_and_no_jit_none():
    source = "import numpy as np\n\n\ndef energy(x):\n    return np.sum(x * x)\n\n\ndef plain(a, b):\n    return a + b\n"
    default = rewrite(source, ["--assume-numeric-inputs"]).rewritten
    assert "@jax.jit\ndef energy" in default and "@jax.jit\ndef plain" not in default
    everything = rewrite(source, ["--assume-numeric-inputs", "--jit"]).rewritten
    assert "@jax.jit\ndef energy" in everything and "@jax.jit\ndef plain" in everything
    none = rewrite(source, ["--assume-numeric-inputs", "--no-jit"])
    assert "@jax.jit" not in none.rewritten
    assert any(f.code == "JX801" and "slower" in f.reason for f in none.findings)


def test_static_shape_of_a_random_draw_makes_the_parameter_static():
    source = (GATE / "random_threading_converts.py").read_text()
    result = rewrite(source, flags_of(source))
    walk = load_module(result.rewritten).walk
    assert walk(5, 0).shape == (5,) and walk(3, 1).shape == (3,)


@pytest.mark.parametrize(("source", "runs"), [
    ("import numpy as np\n\n\ndef f(path):\n    return np.loadtxt(path)\n", 1),  # nothing moves: the trial only
    ("import numpy as np\n\n\ndef f(x):\n    return np.sin(x)\n", 2),  # converts: one more run adds jax.jit
    ("import numpy as np\n\n\ndef f(x, path):\n    y = np.sin(x)\n    np.savetxt(path, y)\n    return y\n", 2),  # frozen
])
def test_only_files_where_something_moves_pay_extra_runs(monkeypatch, source, runs):
    calls = []
    real = engine._run_to_fixpoint

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_run_to_fixpoint", counting)
    rewrite(source, ["--assume-numeric-inputs"])
    assert len(calls) == runs


def test_a_frozen_caller_keeps_the_exact_numbers_of_the_random_stream_it_seeds():
    source = (GATE / "random_with_frozen_caller.py").read_text()
    result = rewrite(source, flags_of(source))
    assert result.rewritten is None  # every function keeps NumPy's global stream: the file is unchanged
    assert "_jitter" in _gate_findings(result) and "_noise" in _gate_findings(result)

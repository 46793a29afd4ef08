"""jaxify verify: planted wrong rewrites are caught with a minimal counterexample, right ones pass.

Each module verification starts a subprocess (JAX import included), so related functions share one
module and one verification through module-scoped fixtures.
"""

from __future__ import annotations

import importlib.util
import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from jaxify.cli import main
from jaxify.config import Options
from jaxify.engine import FileResult
from jaxify.verify.compare import compare
from jaxify.verify.report import to_json, to_markdown, to_text
from jaxify.verify.session import VerifySettings, verify_source

ORIGINAL = textwrap.dedent('''\
    import numpy as np

    def differences(x):
        out = np.zeros(x.shape[0] - 1)
        for i in range(x.shape[0] - 1):
            out[i] = x[i + 1] - x[i]
        return out

    def bump(x, idx):
        x[idx] += 1.0
        return x

    def scale_in_place(x):
        x *= 2.0

    def normalise(x):
        x /= np.sum(np.abs(x)) + 1.0
        return np.max(x)

    def total(x):
        return np.sum(x * x)

    def positive_part(x):
        if x.sum() > 0:
            return x
        return -x

    def root(x):
        out = np.zeros_like(x)
        for i in range(x.shape[0]):
            if x[i] > 0:
                out[i] = np.sqrt(x[i])
        return out

    def sum_all(x):
        return np.sum(x, axis=None)

    def energy(x):
        return np.sum(x ** 2)
    ''')

REWRITTEN = textwrap.dedent('''\
    import numpy as np
    import numpy
    import jax
    import jax.numpy as jnp

    def differences(x):
        return x[2:] - x[:-2] if x.shape[0] > 2 else x[1:] - x[:-1]

    def bump(x, idx):
        return jnp.asarray(x).at[idx].add(1.0)

    def scale_in_place(x):
        x = x * 2.0

    def normalise(x):
        x = x / (jnp.sum(jnp.abs(x)) + 1.0)
        return jnp.max(x), x

    def total(x):
        return jnp.sum(x * x)

    def positive_part(x):
        if jnp.sum(x) > 0:
            return x
        return -x

    def root(x):
        return jnp.where(x > 0, jnp.sqrt(x), 0.0)

    def sum_all(x):
        return numpy.sum(x, axis=None)

    def energy(x):
        return jnp.sum(jax.lax.stop_gradient(x) ** 2)
    ''')


def _verify(original: str, rewritten: str, tmp_path: Path, options: Options | None = None, findings=(),
            **settings):
    path = tmp_path / "module.py"
    path.write_text(original)
    settings.setdefault("hypothesis", 30)
    return verify_source(original, rewritten, path, options or Options(), VerifySettings(**settings),
                         findings=findings)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    report = _verify(ORIGINAL, REWRITTEN, tmp_path_factory.mktemp("planted"))
    return report, {result["function"]: result for result in report.functions}


def _counterexample(result) -> dict:
    """Run the ready-to-paste snippet and return what it declares."""
    namespace = {"np": np}
    exec(result["counterexample"], namespace)
    return namespace["jaxify_examples"]()


def test_off_by_one_slice_is_caught_with_a_minimal_input(planted):
    _, results = planted
    result = results["differences"]
    assert result["evidence"] == "failed" and result["equivalent"] is False
    assert "shape" in result["findings"][0]["message"]
    (args,) = _counterexample(result)["differences"]
    assert args[0].shape == (3,) and not args[0].any()  # shrunk to the smallest length that shows it


def test_accumulating_add_where_numpy_did_not_is_caught(planted):
    _, results = planted
    result = results["bump"]
    assert result["evidence"] == "failed"
    x, idx = _counterexample(result)["bump"][0]
    assert len(idx) == 2 and idx[0] == idx[1]  # a repeated index: the smallest input that shows it
    assert "2.0 instead of 1.0" in result["findings"][0]["message"]


def test_dropped_mutation_of_an_argument_is_caught(planted):
    _, results = planted
    result = results["scale_in_place"]
    assert result["evidence"] == "failed"
    assert "changes argument `x` in place" in result["findings"][0]["message"]
    (args,) = _counterexample(result)["scale_in_place"]
    assert args[0].tolist() == [1.0]


def test_mutated_argument_returned_after_the_result_is_accepted(planted):
    _, results = planted
    assert results["normalise"]["evidence"] == "verified", results["normalise"]


def test_a_right_rewrite_is_verified_and_timed(planted):
    report, results = planted
    result = results["total"]
    assert result["evidence"] == "verified" and result["equivalent"] is True
    assert result["inputs"] == 30 and result["input_source"] == "hypothesis"
    for field in ("compile_ms", "original_ms", "jitted_ms", "speedup"):
        assert result[field] > 0
    assert report.device.startswith("cpu")


def test_jit_failure_is_a_plain_words_finding_at_the_users_line(planted):
    _, results = planted
    result = results["positive_part"]
    assert result["evidence"] == "failed"
    finding = result["findings"][0]
    assert finding["kind"] == "jit" and finding["error"] == "TracerBoolConversionError"
    assert "argument `x` is traced" in finding["message"] and "lax.cond" in finding["hint"]
    assert finding["line"] == ORIGINAL.splitlines().index("    if x.sum() > 0:") + 1  # mapped back


def test_nan_gradient_from_where_is_a_finding(planted):
    _, results = planted
    result = results["root"]
    assert result["equivalent"] is True
    assert any(f["kind"] == "gradient" and "`x`" in f["message"] for f in result["findings"])


def test_gradient_blocked_by_the_rewrite_is_a_finding(planted):
    _, results = planted
    result = results["energy"]
    assert result["equivalent"] is True
    (finding,) = result["findings"]
    assert finding["kind"] == "gradient" and "slope is 0" in finding["message"]


def test_right_gradients_give_no_finding(planted):
    _, results = planted
    assert results["total"]["findings"] == [] and results["normalise"]["findings"] == []


def test_pure_rename_to_the_same_object_is_proven(planted):
    _, results = planted
    assert results["sum_all"]["evidence"] == "proven"


def test_float32_overflow_is_caught_even_with_float32_tolerances(tmp_path):
    original = "import numpy as np\n\ndef softplus(x):\n    return np.log1p(np.exp(x))\n"
    rewritten = ("import jax.numpy as jnp\n\ndef softplus(x):\n"
                 "    return jnp.log1p(jnp.exp(x.astype(jnp.float32)))\n")
    report = _verify(original, rewritten, tmp_path, Options(precision="float32"))
    (result,) = report.functions
    assert result["evidence"] == "failed"
    (args,) = _counterexample(result)["softplus"]
    assert args[0].shape == (1,) and 88 < args[0][0] < 100  # just past float32's exp overflow
    assert "tolerances float32" in to_text([report], "float32")


RANDOM_ORIGINAL = textwrap.dedent('''\
    import numpy as np

    def noisy(x):
        return x + np.random.normal(0.0, 2.0, size=x.shape)

    def jitter(x):
        return x + np.random.normal(0.0, 2.0, size=x.shape)

    def pair(x):
        return np.random.uniform(size=x.shape), np.random.uniform(size=x.shape)

    def frozen(x):
        return x + np.random.normal(size=x.shape)

    def shifted(x):
        return x + np.random.standard_normal(x.shape)

    def walk(n, seed):
        np.random.seed(seed)
        return np.cumsum(np.random.normal(size=n))

    def skewed_walk(n, seed):
        np.random.seed(seed)
        return np.cumsum(np.random.normal(size=n))

    def jaxify_examples():
        examples = {name: [(np.linspace(0.0, 1.0, 8),)] for name in ("noisy", "jitter", "pair", "frozen")}
        return {**examples, "walk": [(6, 3)], "skewed_walk": [(6, 3)]}
    ''')

RANDOM_REWRITTEN = textwrap.dedent('''\
    import numpy as np
    import jax
    import jax.numpy as jnp

    def noisy(x, key):
        return x + 2.0 * jax.random.normal(key, x.shape)

    def jitter(x, key):
        return x + jax.random.uniform(key, x.shape, minval=-2.0, maxval=2.0)

    def pair(x, key):
        return jax.random.uniform(key, x.shape), jax.random.uniform(key, x.shape)

    def frozen(x):
        return jnp.asarray(x) + np.random.normal(size=x.shape)

    def shifted(x, key):
        return x + jax.random.normal(key, x.shape)

    def walk(n, seed):
        key = jax.random.key(seed)
        return jnp.cumsum(jax.random.normal(key, (n,)))

    def skewed_walk(n, seed):
        key = jax.random.key(seed)
        return jnp.cumsum(jax.random.uniform(key, (n,)))

    def jaxify_examples():
        examples = {name: [(np.linspace(0.0, 1.0, 8),)] for name in ("noisy", "jitter", "pair", "frozen")}
        return {**examples, "walk": [(6, 3)], "skewed_walk": [(6, 3)]}
    ''')


@pytest.fixture(scope="module")
def randomness(tmp_path_factory):
    report = _verify(RANDOM_ORIGINAL, RANDOM_REWRITTEN, tmp_path_factory.mktemp("random"))
    return {result["function"]: result for result in report.functions}


def test_random_function_is_compared_by_distribution(randomness):
    result = randomness["noisy"]
    assert result["random"] and result["evidence"] == "verified", result
    assert any("distribution" in note for note in result["notes"])


def test_random_function_with_the_wrong_distribution_fails(randomness):
    result = randomness["jitter"]
    assert result["evidence"] == "failed"
    assert "distributions differ" in result["findings"][0]["message"]


def test_a_function_seeding_numpy_from_a_parameter_is_compared_by_distribution_over_that_parameter(randomness):
    # np.random.seed(seed) -> jax.random.key(seed): the same seed draws other numbers, so the
    # values are compared by distribution over seeds, not one against the other
    result = randomness["walk"]
    assert result["random"] and result["evidence"] == "verified", result
    assert any("`seed` = 0..199" in note for note in result["notes"]), result["notes"]
    assert randomness["skewed_walk"]["evidence"] == "failed"


def test_reused_key_is_caught(randomness):
    result = randomness["pair"]
    assert result["evidence"] == "failed"
    assert "used more than once" in result["findings"][0]["message"]


def test_numpy_random_frozen_under_jit_is_caught(randomness):
    result = randomness["frozen"]
    assert result["random"] and result["evidence"] == "failed"
    assert "frozen into constants" in result["findings"][0]["message"]


def test_random_function_without_examples_gets_a_generated_input(randomness):
    result = randomness["shifted"]
    assert result["input_source"] == "hypothesis" and result["evidence"] == "verified", result


def test_hanging_function_becomes_a_finding_and_earlier_results_are_kept(tmp_path):
    original = "import numpy as np\n\ndef fine(x):\n    return np.sum(x)\n\ndef spin(x):\n    return np.sum(x)\n"
    rewritten = ("import jax.numpy as jnp\n\ndef fine(x):\n    return jnp.sum(x)\n\n"
                 "def spin(x):\n    while True:\n        pass\n")
    report = _verify(original, rewritten, tmp_path, timeout=15, hypothesis=3)
    results = {result["function"]: result for result in report.functions}
    assert results["fine"]["evidence"] == "verified"
    assert results["spin"]["evidence"] == "failed"
    assert "did not finish within 15 s" in results["spin"]["findings"][0]["message"]


def test_crashing_function_becomes_a_finding(tmp_path):
    original = "import numpy as np\n\ndef boom(x):\n    return np.sum(x)\n"
    rewritten = "import ctypes\n\ndef boom(x):\n    return ctypes.string_at(0)\n"
    report = _verify(original, rewritten, tmp_path, hypothesis=3)
    (result,) = report.functions
    assert result["evidence"] == "failed"
    assert "process died" in result["findings"][0]["message"]


# -- the comparison itself -------------------------------------------------------------------------

@pytest.mark.parametrize("expected, actual, equal", [
    (np.array([1.0, np.nan]), np.array([1.0, np.nan]), True),
    (np.array([np.inf]), np.array([-np.inf]), False),
    (np.array([1.0]), np.array([1.0 + 1e-13]), True),
    (np.array([1.0]), np.array([1.0 + 1e-6]), False),
    (np.array([1, 2]), np.array([1, 2], dtype=np.int32), True),
    (np.array([1, 2]), np.array([1.0, 2.0]), False),  # dtype kind changed
    ((np.ones(2), None), [np.ones(2), None], True),
    ({"a": 1}, {"b": 1}, False),
    (np.ones(3), np.ones((3, 1)), False),
])
def test_compare(expected, actual, equal):
    assert compare(expected, actual).equal is equal


@pytest.mark.parametrize("expected, actual, equal", [
    (True, True, True),
    ((np.ones(2), True), (np.ones(2), np.bool_(True)), False),  # `r is True` fails on a 0-d array: np.allclose
    (True, np.array(True), False),
    (np.bool_(True), np.array(True), True),  # NumPy's own bool scalar was never `is True`
])
def test_verify_compares_python_bools_exactly(expected, actual, equal):
    assert compare(expected, actual, exact_bools=True).equal is equal
    assert compare(expected, actual).equal  # the fixtures' comparison: a bool result rewritten to a bool array


# -- the command line ------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A small project whose rewrite is planted (the codemods are not what these tests are about)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "maths.py").write_text(
        "import numpy as np\n\ndef total(x):\n    return np.sum(x)\n\ndef shift(x):\n    return x[1:]\n")
    (tmp_path / "run_me.py").write_text(
        "import numpy as np\nfrom pkg.maths import total, shift\n"
        "total(np.arange(6.0))\nshift(np.arange(9.0))\n")
    planted = ("import jax.numpy as jnp\n\ndef total(x):\n    return jnp.sum(x)\n\n"
               "def shift(x):\n    return x[:-1]\n")

    def rewrite_text(text, path, options):
        return FileResult(path=path, original=text, rewritten=planted)

    monkeypatch.setattr("jaxify.verify.session.rewrite_text", rewrite_text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_text_report_and_exit_code(project):
    result = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "10"])
    assert result.exit_code == 1, result.output
    assert re.search(r"pkg/maths.py:3 total\s+verified\s+yes\s+10 hypothesis", result.output)
    assert re.search(r"pkg/maths.py:6 shift\s+failed", result.output)
    assert "minimal failing input, ready to paste" in result.output
    assert "device cpu" in result.output


def test_cli_json_and_markdown(project):
    as_json = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "5", "--format", "json"])
    data = json.loads(as_json.output)
    assert data["summary"]["evidence"] == {"proven": 0, "verified": 1, "unverified": 0, "failed": 1}
    markdown = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "5", "--format", "markdown"])
    assert "| `pkg/maths.py:3 total` | verified |" in markdown.output


def test_cli_capture_replays_the_calls_a_command_made(project):
    result = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "0", "--capture", "python run_me.py",
                                       "--format", "json"])
    functions = {f["function"]: f for f in json.loads(result.output)["modules"][0]["functions"]}
    assert functions["total"]["input_source"] == "captured" and functions["total"]["evidence"] == "verified"
    assert "np.array([0.0, 1.0, 2.0" in functions["shift"]["counterexample"]  # the captured arange(9.0)


def test_cli_plot_writes_a_png_or_says_how_to_get_matplotlib(project):
    result = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "3", "--plot", "out.png"])
    if importlib.util.find_spec("matplotlib") is None:
        assert result.exit_code == 2 and "pip install 'jaxify-refactor[plot]'" in result.output
    else:
        assert (project / "out.png").stat().st_size > 0


def test_reports_render_an_empty_run():
    assert "no rewritten function" in to_text([])
    assert json.loads(to_json([]))["summary"]["functions"] == 0
    assert "jaxify verify" in to_markdown([])


def test_cli_reports_a_file_the_engine_could_not_rewrite(project, monkeypatch):
    from jaxify.findings import Finding, Status

    def failing(text, path, options):
        finding = Finding(path, 1, 1, "JX003", "internal error, please report it", Status.NOT_FIXED)
        return FileResult(path=path, original=text, failed=True, findings=[finding])

    monkeypatch.setattr("jaxify.verify.session.rewrite_text", failing)
    result = CliRunner().invoke(main, ["verify", "pkg"])
    assert result.exit_code == 1
    assert "pkg/maths.py:1 not rewritten: JX003 internal error" in result.output


def test_cli_sidecar_examples_and_static_argnames(project):
    (project / "inputs.py").write_text(
        "import numpy as np\n\nSTATIC_ARGNAMES = {'total': ()}\n\n"
        "def jaxify_examples():\n    return {'total': [(np.arange(4.0),), {'x': np.ones(3)}]}\n")
    result = CliRunner().invoke(main, ["verify", "pkg", "--examples", "inputs.py", "--hypothesis", "0",
                                       "--format", "json"])
    functions = {f["function"]: f for f in json.loads(result.output)["modules"][0]["functions"]}
    assert functions["total"]["input_source"] == "examples" and functions["total"]["inputs"] == 2
    assert functions["shift"]["evidence"] == "unverified"  # no example, no generated input: said, not hidden


def test_mutation_contract_matches_the_inplace_codemod():
    """JX107's contract: the old result stays one element, mutated arguments follow it."""
    from jaxify.verify.contract import call_original

    def stats_and_scale(x, y):
        x *= 2.0
        y += 1.0
        return x.sum(), y.sum()

    def scale_and_return(x):
        x *= 2.0
        return x

    call = call_original(stats_and_scale, (np.ones(2), np.zeros(2)), {}, ["x", "y"])
    (r, s), x_new, y_new = call.expected()
    assert (r, s) == (4.0, 2.0) and x_new.tolist() == [2.0, 2.0] and y_new.tolist() == [1.0, 1.0]
    whole = call_original(scale_and_return, (np.ones(2),), {}, ["x"])
    assert whole.expected().tolist() == [2.0, 2.0]


# -- functions the rewrite keeps on NumPy are checked as callers call them -----------------------

KEPT_ORIGINAL = "import numpy as np\n\ndef total(x):\n    return float(np.sum(x))\n"
KEPT_REWRITTEN = ("import numpy as np\nimport jax.numpy as jnp\n\ndef total(x):\n"
                  "    return float(np.sum(np.asarray(jnp.asarray(x))))\n")


def test_function_the_gate_kept_on_numpy_is_checked_as_called_not_under_jit(tmp_path):
    from jaxify.findings import Finding, Status

    kept = Finding("module.py", 4, 5, "JX807", "`total` keeps its NumPy computation", Status.NOT_FIXED)
    (as_called,) = _verify(KEPT_ORIGINAL, KEPT_REWRITTEN, tmp_path, hypothesis=5, findings=[kept]).functions
    assert as_called["evidence"] == "verified", as_called
    assert any("not under jax.jit" in note for note in as_called["notes"])
    (jitted,) = _verify(KEPT_ORIGINAL, KEPT_REWRITTEN, tmp_path, hypothesis=5).functions
    assert jitted["evidence"] == "failed" and "NumPy function" in jitted["findings"][0]["message"]


def test_numpy_only_rename_of_a_removed_api_is_unverified_not_failed(tmp_path):
    """The original cannot run on NumPy 2 (``np.asfarray`` is gone); the rewrite is NumPy code, so it
    is run as called, not under jit, where its NumPy calls would fail on tracers."""
    original = "import numpy as np\n\ndef spread(values):\n    return np.ptp(np.asfarray(values))\n"
    rewritten = "import numpy as np\n\ndef spread(values):\n    return np.ptp(np.asarray(values, dtype=float))\n"
    (result,) = _verify(original, rewritten, tmp_path, hypothesis=5).functions
    assert result["evidence"] == ("unverified" if not hasattr(np, "asfarray") else "verified"), result
    assert not result["findings"]

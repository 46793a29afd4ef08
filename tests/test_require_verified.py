"""``jaxify PATH --apply --require verified --capture CMD``: a project's own tests decide what is written.

A small project whose test suite calls some functions on arrays (their rewrites verify), some on
Python lists (their jax.numpy rewrites fail: jax.numpy rejects lists), and never calls one. Only
the verified rewrites may be written, a function linked to a failed one stays too, and the
project's suite must still pass afterwards. The splicing of the module is tested on its own below.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jaxify.verify.splice import splice

LIBRARY = '''\
import numpy as np


def total(x):
    return np.sum(x)


def biggest(x):
    return np.max(x)


def helper(x):
    return np.cumsum(x)


def uses_helper(x):
    return np.abs(helper(x))


def untested(x):
    return np.mean(x)
'''

TESTS = '''\
import numpy as np

from mylib.stats import biggest, helper, total, uses_helper


def test_total():
    assert total(np.arange(4.0)) == 6.0


def test_biggest_of_a_list():
    assert biggest([3, 1, 2]) == 3


def test_helper_of_a_list():
    assert list(helper([1, 2, 3])) == [1, 3, 6]


def test_uses_helper():
    assert uses_helper(np.array([1.0, -2.0]))[1] == 1.0
'''

SUITE = f"{sys.executable} -m pytest -q -p no:cacheprovider tests"


def make_project(root: Path) -> Path:
    (root / "mylib").mkdir()
    (root / "mylib" / "__init__.py").write_text("")
    (root / "mylib" / "stats.py").write_text(LIBRARY)
    (root / "tests").mkdir()
    (root / "tests" / "test_stats.py").write_text(TESTS)
    return root / "mylib" / "stats.py"


def jaxify(root: Path, *flags: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "jaxify", "mylib", "--no-cache", "--assume-numeric-inputs", *flags]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    module = make_project(root)
    done = jaxify(root, "--apply", "--require", "verified", "--capture", SUITE, "--format", "json")
    return root, module, done


def test_only_the_verified_function_is_written(applied):
    root, module, done = applied
    assert done.returncode == 1, done.stderr  # findings that need a person remain
    text = module.read_text()
    assert "return jnp.sum(x)" in text
    for kept in ("np.max(x)", "np.cumsum(x)", "np.abs(helper(x))", "np.mean(x)"):
        assert f"return {kept}" in text


def test_every_function_kept_as_it_was_has_a_finding_saying_why(applied):
    _, _, done = applied
    findings = {f["message"].split("`")[1]: f for f in json.loads(done.stdout)["findings"] if f["code"] == "JX004"}
    assert set(findings) == {"biggest", "helper", "uses_helper", "untested"}
    assert "failed verification" in findings["biggest"]["message"] and "list" in findings["biggest"]["message"]
    assert "linked to that of `helper`" in findings["uses_helper"]["message"]
    assert "no call recorded" in findings["untested"]["message"]
    assert [findings[name]["line"] for name in ("biggest", "helper", "uses_helper", "untested")] == [8, 12, 16, 20]
    fixed = [f for f in json.loads(done.stdout)["findings"] if f["status"] == "fixed"]
    assert all(f["line"] < 8 for f in fixed), fixed  # no fix is claimed inside a function left as it was


def test_the_project_suite_still_passes_after_the_gated_apply(applied):
    root, _, _ = applied
    done = subprocess.run(SUITE.split(), cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]


def test_a_dry_run_shows_the_gated_diff_and_writes_nothing(tmp_path):
    module = make_project(tmp_path)
    done = jaxify(tmp_path, "--require", "verified", "--capture", SUITE)
    assert module.read_text() == LIBRARY
    assert "+    return jnp.sum(x)" in done.stdout
    assert "jnp.max" not in done.stdout


def test_capture_without_require_is_a_usage_error(tmp_path):
    make_project(tmp_path)
    done = jaxify(tmp_path, "--capture", SUITE)
    assert done.returncode == 2
    assert "--capture needs --require verified" in done.stderr


# -- splicing the module --------------------------------------------------------------------------------

ORIGINAL = textwrap.dedent('''\
    """A module."""
    from __future__ import annotations
    import numpy as np

    def f(x):
        return np.sum(x)

    def g(x):
        return np.max(x)

    def writes(a):
        a[0] = 1

    def caller(a):
        writes(a)
        return a
''')
REWRITTEN = textwrap.dedent('''\
    """A module."""
    from __future__ import annotations
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)

    def f(x):
        return jnp.sum(x)

    def g(x):
        return jnp.max(x)

    def writes(a):
        a = a.at[0].set(1)
        return a

    def caller(a):
        a = writes(a)
        return a
''')


def test_refused_and_linked_functions_keep_their_original_text_and_dropped_imports_come_back():
    result = splice(ORIGINAL, REWRITTEN, {"f": None, "g": "it failed", "writes": None, "caller": "no input"})
    assert result.kept == ["f"]
    assert set(result.held_back) == {"g", "writes", "caller"}
    assert result.held_back["writes"][1].startswith("its rewrite is linked to that of `caller`")
    assert result.held_back["g"] == ((8, 9), "it failed")
    expected = ORIGINAL.replace("    return np.sum(x)", "    return jnp.sum(x)").replace(
        "import numpy as np\n",
        'import numpy as np\nimport jax\nimport jax.numpy as jnp\njax.config.update("jax_enable_x64", True)\n')
    assert result.text == expected
    compile(result.text, "m.py", "exec")


def test_everything_accepted_is_the_rewrite_itself():
    accepted = dict.fromkeys(["f", "g", "writes", "caller"])
    assert splice(ORIGINAL, REWRITTEN, accepted).text == REWRITTEN


def test_nothing_accepted_is_the_original_itself():
    result = splice(ORIGINAL, REWRITTEN, dict.fromkeys(["f", "g", "writes", "caller"], "no"))
    assert result.text == ORIGINAL and result.kept == []


def test_changed_module_level_code_keeps_the_whole_module():
    original = ORIGINAL + "\nnp.random.seed(0)\n"
    rewritten = REWRITTEN + "\nkey = jax.random.key(0)\n"
    result = splice(original, rewritten, dict.fromkeys(["f", "g", "writes", "caller"]))
    assert result.text == original
    assert "module-level code" in result.module_reason


def test_a_changed_class_is_never_written_and_holds_back_the_functions_it_names():
    original = "import numpy as np\n\nclass C:\n    def m(self, x):\n        return f(x)\n\ndef f(x):\n    return np.sum(x)\n"
    rewritten = original.replace("return f(x)", "return jnp.asarray(f(x))").replace("np.sum", "jnp.sum")
    result = splice(original, rewritten, {"f": None})
    assert result.text == original
    assert "methods" in result.held_back["C"][1] and "linked" in result.held_back["f"][1]


def test_a_helper_added_by_the_rewrite_goes_with_the_function_that_calls_it():
    original = "import numpy as np\n\ndef f(a):\n    a[0] = 1\n    return np.sum(a)\n"
    rewritten = "import numpy as np\n\ndef _f_pure(a):\n    return a.at[0].set(1)\n\ndef f(a):\n    return np.sum(_f_pure(a))\n"
    assert splice(original, rewritten, {"f": None}).text == rewritten
    assert splice(original, rewritten, {"f": "failed"}).text == original


def test_an_import_that_now_binds_a_name_differently_keeps_the_whole_module():
    original = "from numpy import zeros\n\ndef f(n):\n    return zeros(n)\n\ndef g(n):\n    return zeros(n) + 1\n"
    rewritten = original.replace("from numpy import zeros", "from jax.numpy import zeros").replace(
        "zeros(n)\n\ndef g", "zeros(n) * 1\n\ndef g")
    result = splice(original, rewritten, {"f": None})
    assert result.text == original and "binds" in result.module_reason


def test_a_module_with_relative_imports_is_verified_inside_its_package(tmp_path):
    from jaxify.config import Options
    from jaxify.verify.session import VerifySettings, verify_source

    package = tmp_path / "outer" / "pkg"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "consts.py").write_text("FACTOR = 2.0\n")
    original = ("from .consts import FACTOR\nimport numpy as np\n\n\ndef f(x):\n    return np.sum(x) * FACTOR\n\n\n"
                "def jaxify_examples():\n    return {'f': [(np.arange(3.0),)]}\n")
    (package / "mod.py").write_text(original)
    rewritten = original.replace("import numpy as np\n", "import numpy as np\nimport jax.numpy as jnp\n").replace(
        "np.sum(x)", "jnp.sum(x)")
    report = verify_source(original, rewritten, package / "mod.py", Options(), VerifySettings(hypothesis=0))
    assert not report.findings, report.findings
    assert [(r["function"], r["evidence"], r["input_source"]) for r in report.functions] == [("f", "verified", "examples")]


def test_a_notebook_keeps_its_original_code_with_a_finding(tmp_path):
    from jaxify.engine import FileResult
    from jaxify.config import Options
    from jaxify.findings import Finding, Status
    from jaxify.verify.gate import keep_verified

    fixed = Finding("nb.ipynb", 2, 1, "JX601", "moved to jax.numpy", Status.FIXED)
    result = FileResult(str(tmp_path / "nb.ipynb"), original='{"cells": []}', rewritten='{"cells": [1]}',
                        findings=[fixed])
    keep_verified(result, Options(), captured=None)
    assert result.rewritten is None and not result.changed
    assert [(f.code, f.line) for f in result.findings] == [("JX004", 1)]
    assert "notebook keeps its original code" in result.findings[0].message

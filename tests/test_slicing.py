"""Large modules rewritten a slice at a time (jaxify/slicing.py): the same result as the whole."""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from jaxify import divisions, slicing
from jaxify.config import Options
from jaxify.engine import rewrite_text
from jaxify.runner import Limits, iter_results

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from large_file import generate  # noqa: E402

# Every top-level statement its own component, every component its own slice.
EVERY_STATEMENT = {"SLICE_ABOVE": 0, "SLICE_SIZE": 1}


@pytest.fixture
def cut_everything(monkeypatch):
    for name, value in EVERY_STATEMENT.items():
        monkeypatch.setattr(slicing, name, value)


def _members(plan: slicing.Plan, name: str) -> tuple[int, ...]:
    """The slice holding the statement that binds ``name``."""
    (index,) = [i for i, chunk in enumerate(plan.chunks) if name in chunk.binds]
    return next(members for members in plan.slices if index in members)


MODULE = '''"""A module."""
import numpy as np
from numpy.random import seed

# helpers
SCALE = 2.0


def _helper(x):
    return x * SCALE


@decorated(
1)
def uses_helper(x):
    return _helper(x) + 1


def alone(x):
    text = """
not a statement: column 0 inside a string
"""
    return np.sum(x)


if SCALE > 1:
    MODE = "big"
else:
    MODE = "small"


def counter():
    global total
    total = 1


def reads_total():
    return total


def draws(n):
    return np.random.normal(size=n)


def also_draws(n):
    return np.random.uniform(size=n)


def fills(state):
    state.buffer[0] = 1.0


def stores(state, n):
    state.buffer = np.zeros(n)


def appends(log):
    log.entries.append(1)


def resets(log):
    log.entries = []
'''


def test_a_module_is_cut_at_its_statements_and_put_back_byte_for_byte(cut_everything):
    plan = slicing.plan(MODULE)
    assert plan.prologue == '"""A module."""\nimport numpy as np\nfrom numpy.random import seed\n'
    assert plan.prologue + "".join(chunk.text for chunk in plan.chunks) == MODULE
    assert plan.chunks[0].text.startswith("\n# helpers\nSCALE")  # comments go with the statement below
    assert "@decorated(\n1)\ndef uses_helper" in plan.chunks[2].text
    assert "if SCALE > 1:" in plan.chunks[4].text and 'else:\n    MODE = "small"' in plan.chunks[4].text
    unchanged = [slicing.slice_of(plan, members).text for members in plan.slices]
    assert slicing.stitch(plan, unchanged) == MODULE


def test_statements_connected_by_names_share_a_slice(cut_everything):
    plan = slicing.plan(MODULE)
    assert _members(plan, "_helper") == _members(plan, "uses_helper") == _members(plan, "SCALE")
    assert _members(plan, "counter") == _members(plan, "reads_total")  # a `global` write and its read
    assert _members(plan, "alone") != _members(plan, "_helper")
    assert _members(plan, "draws") != _members(plan, "also_draws")  # each draws alone
    # an attribute written in place in one function and stored in another, whatever holds it
    assert _members(plan, "fills") == _members(plan, "stores") != _members(plan, "appends")
    assert _members(plan, "appends") == _members(plan, "resets")
    seeded = MODULE + "\nseed(0)\n"  # NumPy's one global state, seeded at module level
    plan = slicing.plan(seeded)
    assert _members(plan, "draws") == _members(plan, "also_draws")


@pytest.mark.parametrize("text", [
    "import numpy as np\n\ndef f():\n    return globals()['g']\n\ndef g():\n    pass\n",  # names reached dynamically
    "def f():\n    pass\n\ndef g():\n    pass\n",  # no leading imports: an added import has no place
    "import numpy as np\n\ndef f(:\n    pass\n",  # does not parse: LibCST reports it
    "import numpy as np\n",  # nothing to cut
    "# jaxify: skip-file\nimport numpy as np\n\ndef f():\n    pass\n\ndef g():\n    pass\n",  # skipped
    # JAX configured between functions: every function depends on it
    "import jax\n\ndef f():\n    pass\n\njax.config.update('jax_enable_x64', True)\n\ndef g():\n    pass\n",
])
def test_modules_that_are_not_cut(cut_everything, text):
    assert slicing.plan(text) is None


def test_jax_configured_after_the_imports_is_part_of_every_slice(cut_everything):
    text = "import jax\n\njax.config.update('jax_enable_x64', True)\n\n\ndef f():\n    pass\n\n\ndef g():\n    pass\n"
    plan = slicing.plan(text)
    assert plan.prologue.endswith("jax.config.update('jax_enable_x64', True)\n") and len(plan.slices) == 2


def test_small_modules_are_never_cut():
    assert slicing.plan(MODULE) is None  # under SLICE_ABOVE


def test_a_slice_whose_rewrite_moved_things_is_not_put_back(cut_everything):
    plan = slicing.plan(MODULE)
    texts = [slicing.slice_of(plan, members).text for members in plan.slices]
    lost_marker = texts[:]
    lost_marker[1] = texts[1].replace(plan.marker(plan.slices[1][0]), "")
    assert slicing.stitch(plan, lost_marker) is None
    extra_statement = texts[:]  # a statement added above a chunk would land in the chunk before it
    extra_statement[1] = texts[1] + "key = 1\n"
    assert slicing.stitch(plan, extra_statement) is None
    other_prologue = texts[:]  # more than imports changed in the leading statements
    other_prologue[0] = texts[0].replace('"""A module."""', '"""Another."""', 1)
    assert slicing.stitch(plan, other_prologue) is None


def test_imports_added_by_some_slices_are_added_and_dropped_only_where_unused(cut_everything):
    plan = slicing.plan(MODULE)
    texts = [slicing.slice_of(plan, members).text for members in plan.slices]
    adds = texts[:]
    adds[0] = texts[0].replace("from numpy.random import seed\n", "from numpy.random import seed\nimport jax\n")
    adds[1] = texts[1].replace("from numpy.random import seed\n", "from numpy.random import seed\nimport jax.numpy as jnp\n")
    adds[2] = adds[2].replace("from numpy.random import seed\n", "")  # this slice no longer uses `seed`
    merged = slicing.stitch(plan, adds)
    assert "import jax\n" in merged and "import jax.numpy as jnp\n" in merged
    assert "from numpy.random import seed\n" not in merged  # nothing reads it any more
    keeps = texts[:]
    keeps[0] = texts[0].replace("import numpy as np\n", "")  # np still read in other slices
    keeps[1] = texts[1].replace("import numpy as np\n", "import jax\nimport numpy as np\n")
    assert "import numpy as np\n" in slicing.stitch(plan, keeps)


def _fresh_names_unnumbered(text: str) -> str:
    return re.sub(r"\b([A-Za-z_]\w*?)_\d+\b", r"\1", text)


def _normalised(text: str | None):
    """``text`` up to what slicing may change: a fresh name is fresh within its slice (`done`
    where the whole module had taken it: `done_2`), and imports that several slices added are
    put in the order LibCST's import visitor gives them."""
    if text is None:
        return None
    lines = _fresh_names_unnumbered(text).splitlines()
    imports = sorted(line for line in lines if line.startswith(("import ", "from ")))
    return imports, [line for line in lines if not line.startswith(("import ", "from "))]


def _comparable(findings) -> Counter:
    # The x64 switch is written once, by whichever codemod needs it first; in slices each
    # family may be the first (JX113 and JX607 say the same). The loop codemod runs only on a
    # text that mentions jax (its pre-check), so its refusals of loops in a function that keeps
    # NumPy depend on what else the module, or the slice, holds.
    return Counter((f.line, f.col, f.code, f.status, _fresh_names_unnumbered(f.message)) for f in findings
                   if f.code not in ("JX113", "JX607") and not (f.code == "JX305" and f.status.value == "not fixed"))


def test_every_corpus_program_cut_at_every_statement_rewrites_as_it_does_whole(monkeypatch):
    options = Options(assume_numeric_inputs=True)  # the most rewriting; every corpus file was compared by hand
    differing = []
    for path in sorted((ROOT / "corpus" / "programs").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        whole = rewrite_text(text, path.name, options)
        with monkeypatch.context() as patch:
            for name, value in EVERY_STATEMENT.items():
                patch.setattr(slicing, name, value)
            sliced = rewrite_text(text, path.name, options)
            again = rewrite_text(sliced.rewritten or text, path.name, options)
        assert again.rewritten is None, f"{path.name}: the sliced rewrite is not a fixpoint"
        if (_normalised(whole.rewritten) != _normalised(sliced.rewritten)
                or _comparable(whole.findings) != _comparable(sliced.findings)):
            differing.append(path.name)
    assert differing == []


def test_a_large_generated_module_is_sliced_and_its_rewrite_matches_numpy(monkeypatch):
    monkeypatch.setattr(slicing, "SLICE_ABOVE", 4_000)
    monkeypatch.setattr(slicing, "SLICE_SIZE", 1_000)
    text = generate(8)  # 8 KB of small functions with loops and branches
    plan = slicing.plan(text)
    assert plan is not None and len(plan.slices) > 5
    result = rewrite_text(text, "generated.py", Options(assume_numeric_inputs=True))
    assert not result.failed and "jax.vmap(" in result.rewritten
    original, rewritten = {}, {}
    exec(compile(text, "generated.py", "exec"), original)
    exec(compile(result.rewritten, "generated_jax.py", "exec"), rewritten)
    functions = [name for name in original if re.fullmatch(r"f\d+", name)]
    assert len(functions) > 40
    x = np.linspace(-1.0, 1.0, 16)
    for name in functions:
        np.testing.assert_allclose(np.asarray(rewritten[name](x, 16)), original[name](x, 16), rtol=1e-6,
                                   err_msg=name)


# -- the runner: a large file's slices in the workers side by side ---------------------------------

def _divided_run(tmp_path, monkeypatch, apply: bool):
    monkeypatch.setattr(slicing, "SLICE_ABOVE", 2_000)
    monkeypatch.setattr(slicing, "SLICE_SIZE", 1_500)
    text = generate(5)  # about 35 small functions
    path = tmp_path / "generated.py"
    path.write_text(text, encoding="utf-8")
    options = Options(assume_numeric_inputs=True)
    division = divisions.divide(path, options, apply, None)
    assert division is not None and len(division.pieces) > 3
    divide = functools.partial(divisions.divide, apply=apply, cache=None)
    (result,) = iter_results([path], options, apply, jobs=2, limits=Limits(seconds=300), divide=divide)
    return text, path, result


def test_a_large_file_is_rewritten_in_slices_by_the_workers_and_written_once(tmp_path, monkeypatch):
    text, path, result = _divided_run(tmp_path, monkeypatch, apply=True)
    whole = rewrite_text(text, str(path), Options(assume_numeric_inputs=True), slices=False)
    assert not result.failed and result.written
    assert _normalised(result.rewritten) == _normalised(whole.rewritten)
    assert _comparable(result.findings) == _comparable(whole.findings)
    assert path.read_text(encoding="utf-8") == result.rewritten


def test_slices_that_do_not_fit_together_send_the_file_whole_to_a_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(slicing, "stitch", lambda plan, rewritten: None)
    text, path, result = _divided_run(tmp_path, monkeypatch, apply=False)
    whole = rewrite_text(text, str(path), Options(assume_numeric_inputs=True), slices=False)
    assert not result.failed and result.rewritten == whole.rewritten
    assert path.read_text(encoding="utf-8") == text  # a dry run writes nothing

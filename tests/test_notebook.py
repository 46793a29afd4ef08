"""Notebooks: rewritten cell by cell through the same pipeline as .py files, and written back intact."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import libcst as cst
import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from jaxify.cli import main
from jaxify.config import Options
from jaxify.discovery import iter_python_files
from jaxify.engine import rewrite_text
from jaxify.notebook import notebook_as_python, rewrite_notebook
from jaxify.notebook.magics import Masks, mask_cell

FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "legacy.ipynb"
CORPUS = Path(__file__).parent.parent / "corpus" / "programs"
CHANGED = {"imports", "loop", "data"}  # ids of the cells the rewrite must change


@pytest.fixture
def notebook(tmp_path):
    target = tmp_path / "nb.ipynb"
    shutil.copy(FIXTURE, target)
    return target


def rewrite(text: str, **options):
    return rewrite_notebook(text, "nb.ipynb", Options(**options))


def cells_by_id(text: str) -> dict[str, dict]:
    return {cell["id"]: cell for cell in json.loads(text)["cells"]}


def test_rewritten_notebook_is_valid_and_only_code_cells_that_changed_differ():
    original = FIXTURE.read_text(encoding="utf-8")
    result = rewrite(original)
    assert result.changed and not result.failed
    nbformat.validate(nbformat.reads(result.rewritten, as_version=nbformat.NO_CONVERT))
    before, after = cells_by_id(original), cells_by_id(result.rewritten)
    assert list(before) == list(after)  # same cells, same order, same ids
    changed = {cell_id for cell_id in before if before[cell_id] != after[cell_id]}
    assert changed == CHANGED
    for cell_id in changed:  # outputs no longer come from this code
        assert after[cell_id]["outputs"] == [] and after[cell_id]["execution_count"] is None
        assert after[cell_id]["metadata"] == before[cell_id]["metadata"]
    assert json.loads(result.rewritten)["metadata"] == json.loads(original)["metadata"]


def test_unchanged_cells_are_kept_byte_for_byte():
    original = FIXTURE.read_text(encoding="utf-8")
    rewritten = rewrite(original).rewritten
    kept = [cell for cell_id, cell in cells_by_id(original).items() if cell_id not in CHANGED]
    assert len(kept) == 5
    for cell in kept:
        # the cell's block exactly as nbformat writes it, two levels deep in the file
        block = textwrap.indent(json.dumps(cell, indent=1, sort_keys=True, ensure_ascii=False), "  ")
        assert block in original and block in rewritten
    metadata = original[original.index('\n "metadata"'):]
    assert rewritten.endswith(metadata)  # notebook metadata and format version, byte for byte


def test_magics_and_shell_lines_come_back_unchanged():
    rewritten = cells_by_id(rewrite(FIXTURE.read_text(encoding="utf-8")).rewritten)
    assert "".join(rewritten["imports"]["source"]).count("%matplotlib inline\n") == 1
    data = "".join(rewritten["data"]["source"])
    assert "!echo sampled\n" in data and data.endswith("listing = !ls")
    assert "".join(rewritten["timed"]["source"]).startswith("%%time\n")
    assert "__jaxify_magic__" not in json.dumps(rewritten)


def test_keep_outputs_keeps_the_outputs_of_changed_cells():
    original = FIXTURE.read_text(encoding="utf-8")
    rewritten = cells_by_id(rewrite(original, keep_outputs=True).rewritten)
    assert rewritten["data"]["outputs"] == cells_by_id(original)["data"]["outputs"]
    assert rewritten["data"]["execution_count"] == 3


def test_names_from_earlier_cells_are_known_in_later_cells():
    rewritten = cells_by_id(rewrite(FIXTURE.read_text(encoding="utf-8")).rewritten)
    imports, loop = "".join(rewritten["imports"]["source"]), "".join(rewritten["loop"]["source"])
    assert "import jax.numpy as jnp" in imports  # the import lands in the cell that imports
    assert "jnp.asarray" in loop and "import" not in loop  # the loop cell uses it


def test_findings_name_the_cell_and_the_line_in_it():
    original = FIXTURE.read_text(encoding="utf-8")
    findings = rewrite(original).findings
    sources = [cell["source"] for cell in nbformat.reads(original, as_version=4).cells]
    by_code = {finding.code: finding for finding in findings}
    loop = by_code["JX307"]  # an elementwise loop: slice arithmetic
    assert loop.format().startswith("nb.ipynb:cell 3:3:5 JX307")
    assert sources[2].splitlines()[loop.line - 1].strip().startswith("for i in range")
    seed = by_code["JX203"]
    assert (seed.path, seed.line) == ("nb.ipynb:cell 4", 1)


def test_rewrite_is_idempotent():
    once = rewrite(FIXTURE.read_text(encoding="utf-8")).rewritten
    again = rewrite(once)
    assert not again.changed and not again.failed


def test_diff_is_per_cell(notebook):
    result = CliRunner().invoke(main, [str(notebook)])
    assert result.exit_code == 0
    assert f"--- a/{notebook}:cell 3\n+++ b/{notebook}:cell 3\n" in result.output
    assert '"cells"' not in result.output  # never a diff of the JSON


def test_check_fails_before_apply_and_passes_after(notebook):
    runner = CliRunner()
    assert runner.invoke(main, [str(notebook), "--check", "-q"]).exit_code == 1
    applied = runner.invoke(main, [str(notebook), "--apply", "-q"])
    assert applied.exit_code == 0 and "1 changed" in applied.output
    nbformat.validate(nbformat.read(notebook, as_version=nbformat.NO_CONVERT))
    assert runner.invoke(main, [str(notebook), "--check", "-q"]).exit_code == 0


def test_folders_find_notebooks_but_not_checkpoints(tmp_path, notebook):
    checkpoints = tmp_path / ".ipynb_checkpoints"
    checkpoints.mkdir()
    shutil.copy(notebook, checkpoints / "nb-checkpoint.ipynb")
    (tmp_path / "module.py").write_text("import numpy as np\n")
    found = sorted(path.name for path in iter_python_files([tmp_path]))
    assert found == ["module.py", "nb.ipynb"]


@pytest.mark.parametrize("content, message", [
    ("{\"cells\": [numpy", "not valid JSON"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {"numpy": 1}}),
     "not an nbformat 4 notebook"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": "numpy", "metadata": {}}), "not a valid notebook"),
])
def test_unreadable_notebook_is_jx001_and_left_untouched(tmp_path, content, message):
    target = tmp_path / "bad.ipynb"
    target.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, [str(target), "--apply"])
    assert result.exit_code == 2
    assert "JX001" in result.output and message in result.output
    assert target.read_text(encoding="utf-8") == content


def _notebook(*sources: str, language: str = "python") -> str:
    cells = [new_markdown_cell("notes")] + [new_code_cell(source) for source in sources]
    meta = {"kernelspec": {"name": language, "language": language, "display_name": language}}
    return nbformat.writes(new_notebook(cells=cells, metadata=meta))


@pytest.mark.parametrize("comment, changed", [("", True), ("  # jaxify: ignore", False)])
def test_suppression_comment_in_a_cell_is_honoured(comment, changed):
    loop = f"def f(x):{comment}\n    out = np.zeros(3)\n    for i in range(3):\n        out[i] = x[i]\n    return out"
    call = "f(np.ones(3))"  # a caller in the notebook: numeric evidence for `x`
    result = rewrite(_notebook("import numpy as np", loop, call))
    assert result.changed is changed
    assert any(finding.code == "JX307" for finding in result.findings) is changed  # an elementwise loop: slices


def test_syntax_error_names_the_cell():
    result = rewrite(_notebook("import numpy as np", "x = np.ones(3)\ndef f(:\n    pass"))
    assert result.failed
    (finding,) = result.findings
    assert finding.code == "JX002" and finding.path == "nb.ipynb:cell 3" and finding.line == 2


def test_notebook_of_another_language_is_skipped():
    result = rewrite(_notebook("x <- numpy(1)", language="R"))
    assert result.skipped and not result.changed and not result.findings


def test_cell_emptied_by_the_rewrite_keeps_its_place():
    # The second cell's import is unused once its only use moved to jax.tree.map, and is removed
    # with the marker comment before it: the marker goes back, the cell stays, empty.
    text = _notebook("import jax", "from jax.tree_util import tree_map", "def scale(t):\n    return tree_map(abs, t)")
    result = rewrite(text)
    assert result.changed and not result.failed
    sources = [cell.source for cell in nbformat.reads(result.rewritten, as_version=4).cells]
    assert sources == ["notes", "import jax", "", "def scale(t):\n    return jax.tree.map(abs, t)"]
    assert result.findings[0].path == "nb.ipynb:cell 4"


MASKED = [
    ("%timeit f(x)\n", "__jaxify_magic__(0)\n"),
    ("for i in range(3):\n    !echo {i}\n", "for i in range(3):\n    __jaxify_magic__(0)\n"),
    ("files = !ls -1\n", "files = __jaxify_magic__(0)\n"),
    ("np.zeros?\n", "__jaxify_magic__(0)\n"),
    ("%%time\nx = 1\n", "__jaxify_magic__(0)\nx = 1\n"),
]
KEPT = [
    "y = (a\n     % b)\n",  # modulo continuing an expression in brackets
    'text = """\n%d items\n!important\n"""\n',  # inside a string
    "total = a \\\n    % b\n",  # after a backslash continuation
    "x %= 3\n",
    "# %timeit in a comment\n",
]


@pytest.mark.parametrize("source, masked", MASKED)
def test_ipython_lines_are_masked_and_restored(source, masked):
    masks = Masks()
    assert mask_cell(source, masks) == masked
    assert masks.restore(masked, {0}) == source


@pytest.mark.parametrize("source", KEPT)
def test_python_that_looks_like_a_magic_is_not_masked(source):
    assert mask_cell(source, Masks()) == source


def test_restore_refuses_a_dropped_or_copied_magic():
    masks = Masks()
    masked = mask_cell("!echo hi\n", masks)
    for broken in ("", masked + masked):
        with pytest.raises(Exception, match="IPython"):
            masks.restore(broken, {0})


@pytest.mark.parametrize("name", ["loop_kmeans", "random_bootstrap", "api_adam_state", "vec_finance"])
def test_a_program_split_into_cells_gets_the_findings_of_the_file(name):
    """One cell per top-level statement, the harshest split: same findings as the .py file."""
    text = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    module = cst.parse_module(text)
    sources = [cst.Module(body=[statement], header=module.header if i == 0 else []).code.rstrip("\n")
               for i, statement in enumerate(module.body)]
    notebook = _notebook(*sources)
    result = rewrite(notebook)
    as_file = rewrite_text(text, "x.py", Options(callers_in_module=True))  # as a notebook's own callers
    assert not result.failed
    assert result.changed is as_file.changed
    assert sorted((f.code, f.status) for f in result.findings) == sorted(
        (f.code, f.status) for f in as_file.findings)
    rewritten = result.rewritten if result.changed else notebook
    cells = nbformat.reads(rewritten, as_version=4).cells[1:]
    joined = "\n".join(cell.source for cell in cells)
    assert cst.parse_module(joined).code == joined
    assert not rewrite(rewritten).changed


def test_notebook_as_python_runs_without_ipython():
    code = notebook_as_python(FIXTURE.read_text(encoding="utf-8"))
    compile(code, "nb.py", "exec")
    assert "%" not in code.replace("%%bash", "") and "numpy is not imported here" not in code


def test_older_notebook_without_ids_and_with_windows_newlines_keeps_both():
    notebook = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# old\n", "notebook"]},
                  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                   "source": ["import numpy as np\r\n", "def f(x):\r\n", "    return np.sum(x)\r\n", "%time f(1)"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 4,
    }
    # the only caller is inside a magic, which the analysis cannot see: numeric inputs are declared
    result = rewrite(json.dumps(notebook, indent=1, sort_keys=True) + "\n", assume_numeric_inputs=True)
    assert result.changed and not result.failed
    cells = json.loads(result.rewritten)["cells"]
    assert all("id" not in cell for cell in cells)  # nbformat.reads would have added them
    source = cells[1]["source"]
    assert all(line.endswith("\r\n") for line in source[:-1]) and source[-1] == "%time f(1)"
    assert "    return jnp.sum(x)\r\n" in source

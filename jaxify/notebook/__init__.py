"""Jupyter notebooks (``.ipynb``) as first-class input, read and written with nbformat.

The code cells are joined into one module (cells.py), IPython syntax masked (magics.py), the
module goes through the same pipeline as a ``.py`` file (parse, codemods to a fixpoint, parse
check), and the result is cut back into its cells. Only the changed cells' sources change; their
outputs and execution counts are cleared, since they no longer come from this code, unless
``--keep-outputs``. Markdown and raw cells, ids, metadata and the other cells' outputs are kept
as they were. Findings and diffs name the cell as ruff does: ``nb.ipynb:cell 3:2:1``.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

from jaxify.config import Options
from jaxify.findings import Finding
from jaxify.notebook.cells import (
    JoinedCells,
    NotebookError,
    is_python_notebook,
    join_cells,
    read_notebook,
    split_cells,
    write_notebook,
)
from jaxify.notebook.magics import MaskError

SUFFIX = ".ipynb"

__all__ = ["NotebookError", "cell_locator", "is_notebook", "notebook_as_python", "notebook_diff", "notebook_options",
           "rewrite_notebook"]


def is_notebook(path: str | Path) -> bool:
    return str(path).endswith(SUFFIX)


def notebook_options(options: Options) -> Options:
    """A notebook's code is rewritten (and verified) knowing that nothing imports a notebook: its own
    cells are all the callers its functions have."""
    return dataclasses.replace(options, callers_in_module=True)


def rewrite_notebook(text: str, path: str, options: Options):
    """The notebook counterpart of ``engine.rewrite_text``: a FileResult holding notebook JSON."""
    from jaxify.engine import FileResult, engine_finding, rewrite_text  # engine routes notebooks here

    try:
        notebook = read_notebook(text)
    except NotebookError as error:
        return FileResult(path, failed=True, findings=[engine_finding(path, "JX001", str(error))])
    if not is_python_notebook(notebook):
        return FileResult(path, skipped=True)
    joined = join_cells(notebook)
    module = rewrite_text(joined.text, path, notebook_options(options))
    result = FileResult(path, original=text, failed=module.failed,
                        findings=[_in_cell(finding, joined) for finding in module.findings])
    if module.failed or not module.changed:
        return result
    try:
        changed = split_cells(joined, module.rewritten, notebook)
    except MaskError as error:
        result.failed = True
        result.findings = [engine_finding(path, "JX003", f"notebook left untouched: {error}")]
        return result
    for index, source in changed.items():
        cell = notebook.cells[index]
        cell.source = source
        if not options.keep_outputs:  # the outputs no longer come from this code
            cell.outputs = []
            cell.execution_count = None
    result.rewritten = write_notebook(notebook, trailing_newline=text.endswith("\n"))
    return result


def _in_cell(finding: Finding, joined: JoinedCells) -> Finding:
    cell, line = joined.locate(finding.line)
    return dataclasses.replace(finding, path=f"{finding.path}:cell {cell}", line=line)


def notebook_diff(path: str, original: str, rewritten: str) -> str:
    """A unified diff per changed code cell, headed ``a/nb.ipynb:cell 3``."""
    from nbformat.v4 import nbjson  # here: only a run that meets a notebook pays nbformat's import

    before, after = nbjson.reads(original), nbjson.reads(rewritten)
    parts = []
    for number, (old, new) in enumerate(zip(before.cells, after.cells), start=1):
        if old.cell_type != "code" or old.source == new.source:
            continue
        lines = difflib.unified_diff(
            _lines(old.source), _lines(new.source), fromfile=f"a/{path}:cell {number}",
            tofile=f"b/{path}:cell {number}",
        )
        parts.extend(lines)
    return "".join(parts)


def _lines(source: str) -> list[str]:
    # A cell's last line has no newline; the diff shows it as a line all the same.
    return [line if line.endswith("\n") else line + "\n" for line in source.splitlines(keepends=True)]


def notebook_as_python(text: str) -> str:
    """The notebook's code cells as one runnable module (IPython lines become ``None``), for verify."""
    return join_cells(read_notebook(text)).python_text()


def cell_locator(text: str):
    """Maps a line of :func:`notebook_as_python`'s module to ``(cell number, line in the cell)``."""
    return join_cells(read_notebook(text)).locate

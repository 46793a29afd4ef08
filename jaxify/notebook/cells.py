"""A notebook's code cells as one module, and that module split back into cells.

The cells of a notebook run one after the other in one namespace, so they are analysed as one
module: an import in cell 1 and a loop in cell 3 are seen together. Each code cell is preceded
by a marker comment (``# ~~ notebook cell 3 ~~``) that the codemods carry along like any comment; the
rewritten module is cut at the markers. A rewrite that lost or reordered a marker is refused.

Cells are numbered as in ruff's ``nb.ipynb:cell 3:2:1``: the position of the cell among all the
notebook's cells, markdown included, counting from 1.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import difflib
import json
import re
import warnings
from typing import TYPE_CHECKING

from jaxify.notebook.magics import PLACEHOLDER_PATTERN, Masks, MaskError, is_python_cell, mask_cell

if TYPE_CHECKING:
    import nbformat

# Without the word "jax": some codemods' text pre-filters look for it, and a marker must not
# change which codemods run, or a notebook would be reported differently from the same .py file.
MARKER = "# ~~ notebook cell {} ~~"
MARKER_LINE = re.compile(r"^# ~~ notebook cell (\d+) ~~\r?\n", re.MULTILINE)


class NotebookError(Exception):
    """Not a notebook jaxify can read: invalid JSON, not nbformat 4, or not a valid notebook."""


def read_notebook(text: str) -> nbformat.NotebookNode:
    """Parse without normalising anything, so what is written back differs only where rewritten.

    ``nbformat.reads`` would add missing cell ids and upgrade versions; the JSON reader of the v4
    format only joins the line lists, and validation runs on a copy.
    """
    import nbformat  # here, not above: only a run that meets a notebook pays its import (65 ms)
    from nbformat.v4 import nbjson

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON: {error}") from error
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        found = raw.get("nbformat") if isinstance(raw, dict) else None
        raise NotebookError(f"not an nbformat 4 notebook (nbformat: {found!r}); convert it with "
                            "`jupyter nbconvert --to notebook` first")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. missing cell ids: kept as the file has them
            nbformat.validate(copy.deepcopy(raw))  # validation may repair what it checks
    except nbformat.ValidationError as error:
        raise NotebookError(f"not a valid notebook: {error.message}") from error
    except (TypeError, AttributeError, KeyError) as error:  # nbformat's repairs trip on a broken shape
        raise NotebookError(f"not a valid notebook: {type(error).__name__}: {error}") from error
    return nbjson.reads(text)


def write_notebook(notebook: nbformat.NotebookNode, trailing_newline: bool) -> str:
    """nbformat's own serialisation (indent 1, sorted keys): what Jupyter writes."""
    from nbformat.v4 import nbjson

    return nbjson.writes(notebook) + ("\n" if trailing_newline else "")


def is_python_notebook(notebook: nbformat.NotebookNode) -> bool:
    """A notebook of another kernel (R, Julia) has code cells jaxify must not touch."""
    language = notebook.metadata.get("kernelspec", {}).get("language") or notebook.metadata.get(
        "language_info", {}).get("name")
    return language in (None, "python")


@dataclasses.dataclass
class JoinedCells:
    """The code cells of a notebook as one module, and how to map it back."""

    text: str
    cells: list[int]  # index in notebook.cells of each joined cell, in order
    starts: list[int]  # line of the joined text where each joined cell's source begins
    placeholders: list[set[int]]  # the placeholders each cell holds
    masks: Masks

    def locate(self, line: int) -> tuple[int, int]:
        """The 1-based cell number and line within it of a line of the joined text."""
        position = max(0, bisect.bisect_right(self.starts, line) - 1)
        return self.cells[position] + 1, max(1, line - self.starts[position] + 1)

    def python_text(self) -> str:
        """The joined module with IPython lines as ``None``: runnable, for ``jaxify verify``."""
        return PLACEHOLDER_PATTERN.sub("None", self.text)


def join_cells(notebook: nbformat.NotebookNode) -> JoinedCells:
    masks = Masks()
    parts, cells, starts, placeholders = [], [], [], []
    # LibCST writes new lines with the module's first newline: make it the cells' own.
    newline = "\r\n" if any("\r\n" in cell.source for cell in notebook.cells if cell.cell_type == "code") else "\n"
    line = 1
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not is_python_cell(cell.source):
            continue
        before = len(masks.texts)
        masked = mask_cell(cell.source, masks)
        if masked and not masked.endswith("\n"):
            masked += newline
        parts += [MARKER.format(index) + newline, masked]
        line += 1
        cells.append(index)
        starts.append(line)
        placeholders.append(set(range(before, len(masks.texts))))
        line += masked.count("\n")
    return JoinedCells("".join(parts), cells, starts, placeholders, masks)


def split_cells(joined: JoinedCells, rewritten: str, notebook: nbformat.NotebookNode) -> dict[int, str]:
    """The new source of each cell the rewrite changed, by index in ``notebook.cells``.

    Raises MaskError when the markers or placeholders did not survive the rewrite unchanged.
    """
    pieces = MARKER_LINE.split(_restore_deleted_markers(joined.text, rewritten))
    head, numbers, bodies = pieces[0], [int(n) for n in pieces[1::2]], pieces[2::2]
    if numbers != joined.cells:
        raise MaskError("the rewrite moved code across notebook cell boundaries")
    if bodies and head.strip():
        bodies[0] = head + bodies[0]  # something added above every cell (an import) joins the first
    elif head.strip():
        raise MaskError("the rewrite added code to a notebook without code cells")
    changed = {}
    for index, body, expected in zip(numbers, bodies, joined.placeholders):
        original = notebook.cells[index].source
        if not original.endswith("\n") and body.endswith("\n"):
            body = body.removesuffix("\r\n") if body.endswith("\r\n") else body[:-1]  # join_cells added it
        source = joined.masks.restore(body, expected)
        if source != original:
            changed[index] = source
    return changed


def _restore_deleted_markers(original: str, rewritten: str) -> str:
    """Put back the markers that went with a statement the rewrite deleted.

    A marker is a comment before a cell's first statement, so removing that statement (an
    import no longer used) removes the marker too. Where a run of lines holding markers was
    deleted outright, the markers go back where the run was, and the cells keep their place. A
    marker lost inside a block that was rewritten into other lines has no single right place; it
    is left missing, and the notebook is refused.
    """
    before, after = original.splitlines(keepends=True), rewritten.splitlines(keepends=True)
    restored = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            restored += [line for line in before[i1:i2] if MARKER_LINE.match(line)]
        restored += after[j1:j2]
    return "".join(restored)

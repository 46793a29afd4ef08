"""A codemod's run read back (``Parses.runs``) gives what running it again gives."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from jaxify import engine
from jaxify.codemod import Codemod, FileContext
from jaxify.config import Options
from jaxify.findings import Finding, Status
from jaxify.parses import Parses
from jaxify.suppression import Suppressions

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(ROOT.glob("corpus/**/*.py"))[::6]
OPTIONS = {
    "default": Options(),
    "unsafe": Options(unsafe=True, assume_numeric_inputs=True),
    "jit": Options(jit=True, unsafe=True),
}


class _Forgetful(dict):
    """A ``runs`` table that keeps nothing: every codemod runs every time."""

    def __setitem__(self, key, value) -> None:
        pass


class _Counting(dict):
    def __init__(self) -> None:
        super().__init__()
        self.read_back = 0

    def get(self, key, default=None):
        found = super().get(key, default)
        self.read_back += found is not None
        return found


@pytest.fixture
def runs_table(monkeypatch):
    """Parses whose ``runs`` table is the one given to ``use`` (per rewrite)."""
    made = []

    def use(table_class):
        original = Parses.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.runs = table_class()
            made.append(self.runs)
        monkeypatch.setattr(Parses, "__init__", init)
        return made

    return use


@pytest.mark.parametrize("name", OPTIONS)
def test_read_back_runs_give_the_same_rewrite_and_findings(runs_table, name):
    options = OPTIONS[name]
    texts = [(str(path), path.read_text(encoding="utf-8")) for path in SOURCES]
    tables = runs_table(_Counting)
    remembered = [engine.rewrite_text(text, path, options) for path, text in texts]
    assert sum(table.read_back for table in tables) > 0  # the confirming passes read runs back
    runs_table(_Forgetful)
    for (path, text), result in zip(texts, remembered):
        again = engine.rewrite_text(text, path, options)
        assert (again.rewritten, again.failed, again.findings) == (result.rewritten, result.failed, result.findings), path


class _EditsEarlierFindings(Codemod):
    RULES = ()

    def finish(self, module: cst.Module) -> cst.Module:
        self.context.findings[0] = Finding("x.py", 1, 1, "JX999", "changed", Status.NOT_FIXED)
        return module


class _Adds(Codemod):
    RULES = ()

    def finish(self, module: cst.Module) -> cst.Module:
        self.context.findings.append(Finding("x.py", 2, 1, "JX998", "added", Status.NOT_FIXED))
        return module


def _context(text: str) -> FileContext:
    context = FileContext(path="x.py", options=Options(), original_text=text, suppressions=Suppressions(text))
    context.findings.append(Finding("x.py", 1, 1, "JX997", "earlier", Status.NOT_FIXED))
    return context


def test_a_run_that_changes_earlier_findings_is_not_recorded_as_added():
    text = "import numpy as np\nx = np.zeros(3)\n"
    wrapper = Parses().wrapper(text)
    assert engine._run_codemod(_EditsEarlierFindings, _context(text), wrapper, text) == (text, None)
    new_text, added = engine._run_codemod(_Adds, _context(text), wrapper, text)
    assert new_text == text and [finding.code for finding in added] == ["JX998"]

"""The parsed trees of one file's rewrite, so that a text parsed again costs nothing.

A rewrite parses the same texts more than once: a pass of the fixpoint starts from the text the
pass before it ended with, which that pass parsed after its last change; the whole-function gate
reads the user's text, reruns the pipeline from it, and reads the rewrite for what jax.jit cannot
trace. Nothing jaxify does changes a tree (codemods build new ones), and what is resolved on a
wrapper, LibCST's metadata and the shared analysis (``jaxify.analysis.analyze``, which also keys on
the options), follows from its text alone, the line map back to the user's file included: so the
wrapper of a text already parsed, with all that is resolved on it, serves every later parse.

The same holds one level up: a codemod's run follows from the text it is given, the user's file,
the options and the gate's verdict, so a run already made is read back (``Parses.runs``). The
fixpoint's confirming pass meets that case for every codemod after the last one that changed the
text: those already ran on that very text in the pass before.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from jaxify.analysis.providers import Wrapper


class Parses:
    """The wrappers of the file's own text and of the few texts parsed most recently; and the
    codemod runs made (``runs``), each read back when the same codemod meets the same text under
    the same verdict again: the fixpoint's confirming pass runs every codemod after the last one
    that changed the text on the very text they were run on the pass before."""

    def __init__(self, keep: int = 3):
        self._keep = keep
        # (codemod class, text, user's text, path, options, verdict) -> (the text it made, the findings it added)
        self.runs: dict[tuple, tuple[str, tuple]] = {}
        self._first: tuple[str, MetadataWrapper] | None = None  # the user's text: every gate run starts there
        self._recent: dict[str, MetadataWrapper] = {}  # most recent last

    def wrapper(self, text: str) -> MetadataWrapper:
        """The wrapper of ``text``'s module; raises ParserSyntaxError as ``cst.parse_module`` does."""
        if self._first is not None and self._first[0] == text:
            return self._first[1]
        found = self._recent.pop(text, None)
        if found is None:
            found = Wrapper(cst.parse_module(text), unsafe_skip_copy=True)
        if self._first is None:
            self._first = (text, found)
            return found
        self._recent[text] = found
        while len(self._recent) > self._keep:
            del self._recent[next(iter(self._recent))]
        return found

    def release(self) -> None:
        """Forget the kept wrappers and release each (``Wrapper.release``): the file's rewrite is over."""
        wrappers = [*self._recent.values(), *([self._first[1]] if self._first else [])]
        self._first, self._recent, self.runs = None, {}, {}
        for wrapper in wrappers:
            wrapper.release()

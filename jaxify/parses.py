"""The parsed trees of one file's rewrite, so that a text parsed again costs nothing.

A rewrite parses the same texts more than once: a pass of the fixpoint starts from the text the
pass before it ended with, which that pass parsed after its last change; the whole-function gate
reads the user's text, reruns the pipeline from it, and reads the rewrite for what jax.jit cannot
trace. Nothing jaxify does changes a tree (codemods build new ones), and what is resolved on a
wrapper, LibCST's metadata and the shared analysis (``jaxify.analysis.analyze``, which also keys on
the options), follows from its text alone, the line map back to the user's file included: so the
wrapper of a text already parsed, with all that is resolved on it, serves every later parse.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from jaxify.analysis.providers import Wrapper


class Parses:
    """The wrappers of the file's own text and of the few texts parsed most recently."""

    def __init__(self, keep: int = 3):
        self._keep = keep
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
        self._first, self._recent = None, {}
        for wrapper in wrappers:
            wrapper.release()

"""What a name really is: qualified names resolved from imports through LibCST's scopes.

``np.zeros`` after ``import numpy as np``, ``zeros`` after ``from numpy import zeros`` and
``numpy.zeros`` after ``import numpy`` all resolve to ``"numpy.zeros"``; a local variable that
shadows ``np`` resolves to nothing, because only names whose binding is an import (or a builtin)
count.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedName, QualifiedNameSource

from jaxify.analysis.providers import Scopes

_TRUSTED_SOURCES = (QualifiedNameSource.IMPORT, QualifiedNameSource.BUILTIN)


class QualifiedNames:
    """``qualified_name(expr)`` for names and attribute chains of one module."""

    def __init__(self, wrapper: MetadataWrapper):
        self._wrapper = wrapper
        # id(expr) -> (expr, its qualified name): the planners ask about the same few thousand
        # names twenty times over; the node is kept, so that no other node takes its id
        self._known: dict[int, tuple[cst.CSTNode, str | None]] = {}

    @functools.cached_property
    def _scopes(self):
        # Asked of each node's scope when needed, as LibCST's QualifiedNameProvider does lazily:
        # that provider only files a deferred lookup per node, and costs a walk of the whole module.
        # Resolved on first use, so a codemod's own metadata is resolved first, in one batch.
        return self._wrapper.resolve(Scopes)

    def all_names(self, node: cst.CSTNode) -> Collection[QualifiedName]:
        """What LibCST's QualifiedNameProvider gives ``node``: its qualified names, from any source."""
        scope = self._scopes.get(node)
        return scope.get_qualified_names_for(node) if scope is not None else set()

    def qualified_name(self, expr: cst.CSTNode) -> str | None:
        """``"numpy.zeros"`` for ``np.zeros``; ``"builtins.print"`` for ``print``; None for locals."""
        known = self._known.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]
        found = sorted(q.name for q in self.all_names(expr) if q.source in _TRUSTED_SOURCES) if (
            _is_dotted_name(expr)) else []
        self._known[id(expr)] = (expr, found[0] if found else None)
        return found[0] if found else None

    @staticmethod
    def star_imports(module: cst.Module) -> list[cst.ImportFrom]:
        """``from X import *`` statements (Python allows them only at the top level of a module)."""
        return [
            small
            for statement in module.body
            if isinstance(statement, cst.SimpleStatementLine)
            for small in statement.body
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar)
        ]


def _is_dotted_name(expr: cst.CSTNode) -> bool:
    """``a.b.c`` only: LibCST would also name ``np.zeros(3).sum`` "numpy.zeros.sum"."""
    while type(expr) is cst.Attribute:  # asked of every name looked up: `is` costs far less than isinstance
        expr = expr.value
    return type(expr) is cst.Name


def is_numpy(qualified: str | None) -> bool:
    return qualified is not None and (qualified == "numpy" or qualified.startswith("numpy."))


def array_api_member(qualified: str | None) -> str | None:
    """``"zeros"`` for ``numpy.zeros`` and ``jax.numpy.zeros``; ``"random.normal"`` for numpy.random."""
    if qualified is None:
        return None
    for prefix in ("jax.numpy.", "numpy."):
        if qualified.startswith(prefix):
            return qualified[len(prefix):]
    return None

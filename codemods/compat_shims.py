"""Compatibility shims: ``try: <new API> except ImportError/AttributeError: <old API>`` is code
written to run on old and new versions on purpose, so the API migration leaves what is inside it.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

SHIM_EXCEPTIONS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError"})


def is_compat_shim(node: cst.Try) -> bool:
    """``try: ... except ImportError/AttributeError:``: code written to run on old and new versions."""
    for handler in node.handlers:
        caught = handler.type
        names = caught.elements if isinstance(caught, cst.Tuple) else [caught] if caught else []
        for name in names:
            expr = name.value if isinstance(name, cst.Element) else name
            if (get_full_name_for_node(expr) or "").rpartition(".")[2] in SHIM_EXCEPTIONS:
                return True
    return False


class ShimImports(cst.CSTVisitor):
    """Collects the import statements inside compatibility shims."""

    def __init__(self) -> None:
        self.imports: set[int] = set()
        self._depth = 0

    def visit_Try(self, node: cst.Try) -> None:
        self._depth += is_compat_shim(node)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._depth -= is_compat_shim(original_node)

    def visit_Import(self, node: cst.Import) -> None:
        if self._depth:
            self.imports.add(id(node))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._depth:
            self.imports.add(id(node))

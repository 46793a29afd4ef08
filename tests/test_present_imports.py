"""``already_imported`` agrees with LibCST's AddImportsVisitor: it skips the visitor only when the
visitor would change nothing; ``add_imports`` gives the visitor's module, running it on the head;
``all_still_referenced`` says RemoveImportsVisitor would keep every import only when it does."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem, RemoveImportsVisitor
from libcst.helpers import get_full_name_for_node

from jaxify.analysis.providers import Wrapper
from jaxify.analysis.tree import TreeIndex
from jaxify.present_imports import add_imports, all_still_referenced, already_imported


MODULES = [
    "import numpy as np\nimport jax.numpy as jnp\n\nx = jnp.zeros(3)\n",
    '"""Doc."""\nimport jax\nimport functools\nfrom jax import lax, numpy as jnp\n\ny = 1\n',
    "import numpy as np\nimport numpy as onp\n\nz = np.ones(2)\n",
    "from jax import *\nimport jax.numpy\n",
    "x = 1\nimport jax.numpy as jnp\n",  # below a statement: not at the top
    "def f():\n    import jax\n    return jax\n",
    "from . import jax\nfrom .numpy import zeros\n",
    "",
]
WANTED = [
    ImportItem("jax.numpy", alias="jnp"),
    ImportItem("jax"),
    ImportItem("functools"),
    ImportItem("jax", "lax"),
    ImportItem("jax", "numpy", "jnp"),
    ImportItem("jax", "random"),
    ImportItem("numpy", alias="np"),
    ImportItem("numpy", alias="onp"),
    ImportItem("jax.numpy"),
]


def visitor_changes(source: str, wanted: list[ImportItem]) -> bool:
    context = CodemodContext()
    for item in wanted:
        AddImportsVisitor.add_needed_import(context, item.module_name, item.obj_name, item.alias)
    module = cst.parse_module(source)
    return AddImportsVisitor(context).transform_module(module).code != source


@pytest.mark.parametrize("source", MODULES)
@pytest.mark.parametrize("item", WANTED, ids=lambda item: f"{item.module_name}:{item.obj_name}:{item.alias}")
def test_agrees_with_libcst_one_item(source, item):
    assert already_imported(cst.parse_module(source), [item]) == (not visitor_changes(source, [item]))


@pytest.mark.parametrize("source", MODULES)
def test_agrees_with_libcst_several_items(source):
    for wanted in (WANTED[:2], WANTED[2:5], [WANTED[0], WANTED[6]], WANTED):
        assert already_imported(cst.parse_module(source), wanted) == (not visitor_changes(source, wanted))


def test_unsure_cases_count_as_missing():
    strict = cst.parse_module("__strict__ = True\nimport jax\n")
    assert not already_imported(strict, [ImportItem("jax")])
    assert not already_imported(cst.parse_module("from . import a\n"), [ImportItem("a", relative=1)])


ROOT = Path(__file__).resolve().parent.parent
REQUESTS = [WANTED[:1], WANTED[1:2], [WANTED[3], WANTED[0]], [ImportItem("numpy", "zeros")],
            [ImportItem("__future__", "annotations"), ImportItem("functools", "partial")]]


def _with_requests(wanted: list[ImportItem]) -> CodemodContext:
    context = CodemodContext()
    for item in wanted:
        AddImportsVisitor.add_needed_import(context, item.module_name, item.obj_name, item.alias)
    return context


def test_add_imports_gives_the_visitors_module():
    sources = [*MODULES, "__strict__ = True\nimport jax\n\nx = 1\n", "# comment\n\n\nx = 1\nimport os\ny = 2\n",
               *(path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("corpus/**/*.py"))[::32])]
    for source in sources:
        module = cst.parse_module(source)
        for wanted in REQUESTS:
            expected = AddImportsVisitor(_with_requests(wanted)).transform_module(module).code
            assert add_imports(_with_requests(wanted), module).code == expected, (source[:80], wanted)


REMOVAL_SOURCES = [
    "import numpy as np\nfrom numpy import zeros, ones as o\n\nx = np.sum(zeros(3))\n",
    "import numpy as np\nfrom numpy import zeros\n\n\ndef f(zeros):\n    return zeros\n",  # shadowed: unused
    "import os.path\nimport numpy.random\n\nprint(os.path.join('a'), numpy.random)\n",
    "from typing import List\nimport numpy as np\n\nx: 'np.ndarray' = None\n",  # a string annotation
    "import numpy as np\n__all__ = ['np']\n",  # exported
    "def f():\n    import numpy as np\n    return 1\n\n\ndef g():\n    from numpy import sin\n    return sin\n",
    "import numpy as np, math\nfrom numpy import (\n    zeros,  # comment\n    ones,\n)\n\nmath.pi\n",
]


def _removals(module: cst.Module) -> list[tuple[str, str | None, str | None]]:
    """One removal request per import alias of the module, as a codemod asks for it."""
    found = []
    for node in TreeIndex().walk(module):
        if isinstance(node, cst.Import):
            found += [(alias.evaluated_name, None, alias.evaluated_alias) for alias in node.names]
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar) and node.module:
            source = get_full_name_for_node(node.module)
            found += [(source, alias.evaluated_name, alias.evaluated_alias) for alias in node.names]
    return found


def test_all_still_referenced_only_when_the_visitor_removes_nothing():
    """Whenever ``all_still_referenced`` says the removal visitor would keep every import, the
    visitor keeps every import: on the modules above and on corpus modules, one import at a time."""
    sources = [*REMOVAL_SOURCES, *(path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("corpus/**/*.py"))[::8])]
    skipped = ran = 0
    for source in sources:
        wrapper = Wrapper(cst.parse_module(source), unsafe_skip_copy=True)
        for removal in _removals(wrapper.module):
            context = CodemodContext()
            RemoveImportsVisitor.remove_unused_import(context, *removal)
            kept = RemoveImportsVisitor(context).transform_module(cst.parse_module(source)).code == source
            if all_still_referenced(wrapper, [removal]):
                assert kept, (source[:80], removal)
                skipped += 1
            else:
                ran += 1
    assert skipped > 20 and ran > 5  # both answers are given: the check is not a constant

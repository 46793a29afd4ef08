"""``already_imported`` agrees with LibCST's AddImportsVisitor: it skips the visitor only when the
visitor would change nothing; ``add_imports`` gives the visitor's module, running it on the head."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem

from jaxify.present_imports import add_imports, already_imported

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

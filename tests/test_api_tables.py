"""The JX5xx mapping table against the installed JAX and NumPy (the idea of tf_upgrade_v2's test):
every replacement exists, every removed name is really gone, renamed tree functions keep their
parameters, and keyword renames name real parameters."""

from __future__ import annotations

import importlib
import inspect
import math

import libcst as cst
import numpy as np
import pytest

from jaxify.codemods import api_tables
from jaxify.codemods.api_calls import INEXACT_TYPE_CODES, INEXACT_TYPE_NAMES
from jaxify.codemods.api_migration import ApiMigration
from jaxify.codemods.api_tables import Form, mappings
from jaxify.config import installed_jax_version

MISSING = object()

# Old names the tables rewrite although the installed libraries still have them, on purpose.
STILL_PRESENT = {
    "numpy.row_stack",  # deprecated, removed in NumPy 2.5
    "jax.numpy.float_",  # JAX keeps them; NumPy 2 does not, so one spelling serves both
    "jax.numpy.complex_",
    "jax.experimental.pjit.pjit",  # deprecated
    "jax.pmap",  # maintenance mode
    "jax.config",  # the attribute exists; `import jax.config` (the submodule) is what fails
    *(f"jax.tree_util.tree_{name}" for name in api_tables.TREE_FUNCTIONS + api_tables.TREE_WITH_PATH_FUNCTIONS),
}


def resolve(dotted: str):
    """The object a dotted name names, importing modules along the way; MISSING when there is none."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            obj = getattr(obj, part, MISSING)
            if obj is MISSING:
                return MISSING
        return obj
    return MISSING


TARGETS = (installed_jax_version(), (0, 4, 30), (0, 4, 20))
ALL = sorted(
    {mapping for target in TARGETS for mapping in mappings(target).values()}
    | set(api_tables.REMOVED_SUBMODULE_IMPORTS.values()),
    key=lambda mapping: (mapping.old, mapping.form.value, mapping.new),
)


REWRITES = [m for m in ALL if m.form in (Form.RENAME, Form.NEGATED, Form.CALL)]


@pytest.mark.parametrize("mapping", REWRITES, ids=lambda m: m.old)
def test_replacement_exists(mapping):
    assert resolve(mapping.new) is not MISSING, f"{mapping.old} -> {mapping.new}: the replacement does not exist"


@pytest.mark.parametrize("mapping", sorted({m.old: m for m in ALL}.values(), key=lambda m: m.old), ids=lambda m: m.old)
def test_old_name_is_gone(mapping):
    if mapping.old in STILL_PRESENT:
        assert resolve(mapping.old) is not MISSING, f"{mapping.old} is gone now: move it out of STILL_PRESENT"
    else:
        assert resolve(mapping.old) is MISSING, f"{mapping.old} still exists: is the mapping needed?"


def test_tree_functions_keep_their_parameters():
    for mapping in api_tables.tree_mappings(installed_jax_version()).values():
        old, new = resolve(mapping.old), resolve(mapping.new)
        if old is MISSING:  # removed: its signature was tree_util's, checked through that entry
            continue
        assert list(inspect.signature(old).parameters) == list(inspect.signature(new).parameters), mapping.old


def test_old_target_keeps_tree_util():
    old_jax = api_tables.tree_mappings((0, 4, 20))
    assert old_jax["jax.tree_map"].new == "jax.tree_util.tree_map"
    assert old_jax["jax.tree_util.tree_multimap"].new == "jax.tree_util.tree_map"
    assert "jax.tree_util.tree_map" not in old_jax
    assert "jax.tree_util.tree_map_with_path" not in api_tables.tree_mappings((0, 4, 30))


@pytest.mark.parametrize("mapping", [m for m in ALL if m.form is Form.LITERAL], ids=lambda m: m.old)
def test_literals_keep_the_sign_of_zero(mapping):
    value = eval(cst.Module([]).code_for_node(cst.parse_expression(mapping.new)))  # a float literal
    expected_sign = -1.0 if "NZERO" in mapping.old else 1.0
    assert value == 0.0 and math.copysign(1.0, value) == expected_sign


@pytest.mark.parametrize("function", sorted(api_tables.KEYWORD_RENAMES))
def test_keyword_renames_name_real_parameters(function):
    parameters = inspect.signature(resolve(function)).parameters
    for old, new in api_tables.KEYWORD_RENAMES[function].items():
        assert new in parameters and old not in parameters, (function, old, new)


@pytest.mark.parametrize("function", sorted(api_tables.BY_POSITION))
def test_old_keywords_have_positions(function):
    parameters = list(inspect.signature(resolve(function)).parameters.values())
    old_names = api_tables.BY_POSITION[function]
    assert len(parameters) >= len(old_names)
    for parameter, old in zip(parameters, old_names):
        assert parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD) and parameter.name != old


def test_inexact_dtypes_are_inexact():
    builtins = {"float": float, "complex": complex}
    for name in INEXACT_TYPE_NAMES:
        dtype = builtins.get(name, getattr(np, name, None))
        if dtype is None:
            assert name in ("float_", "complex_", "cfloat", "longfloat", "singlecomplex"), name
            continue  # removed aliases of inexact types, met only in legacy code
        assert np.issubdtype(np.dtype(dtype), np.inexact), name
    for code in INEXACT_TYPE_CODES:
        assert np.issubdtype(np.dtype(code), np.inexact), code


def test_every_code_is_a_rule():
    codes = {rule.code for rule in ApiMigration.RULES}
    assert {mapping.code for mapping in ALL} <= codes


def test_files_without_old_names_are_skipped_before_parsing():
    assert not ApiMigration.applies_to("import numpy as np\n\na = np.zeros(3, dtype=np.float64)\n")
    old_code = ("np.float_", "jax.tree_map(f, t)", "jnp.clip(x, a_min=0)", "jnp.clip(a = x)", "x.at[0].set(1)")
    for text in (*old_code, "import jax.config"):
        assert ApiMigration.applies_to(text), text

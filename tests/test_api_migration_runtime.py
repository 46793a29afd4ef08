"""Legacy code that uses removed JAX / NumPy APIs fails on the installed versions; after the
JX5xx rewrite it runs and computes what a hand-written current-API version computes.

The legacy module is the fixture api_migration/runtime_removed_apis; its sidecar holds the inputs
and the hand-written references (``REFERENCE``), and test_fixture_runtime runs it under ``jax.jit``.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from harness import FIXTURES, assert_same, examples_of, load_module, rewrite

JX5_ONLY = ["--select", "JX5"]  # this family alone: later codemods have their own runtime tests

FROM_IMPORTS = textwrap.dedent(
    '''
    from jax import tree_map, tree_leaves
    from jax.tree_util import tree_multimap as tmm


    def combine(a, b):
        return tree_leaves(tmm(lambda x, y: x * y, tree_map(lambda x: x + 1, a), b))
    '''
)


CASE = FIXTURES / "api_migration" / "runtime_removed_apis.py"
EXAMPLES = examples_of(CASE.with_name("runtime_removed_apis.examples.py"))
CALLS = {name: calls[0] for name, calls in EXAMPLES.calls.items()}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_legacy_code_fails_on_installed_versions(name):
    legacy = load_module(CASE.read_text(encoding="utf-8"), "api_legacy")
    with pytest.raises(AttributeError):
        getattr(legacy, name)(*CALLS[name])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_rewritten_code_matches_current_api_without_jit(name):
    migrated = load_module(CASE.with_name("runtime_removed_apis.expected.py").read_text(encoding="utf-8"), "migrated")
    assert_same(EXAMPLES.reference[name](*CALLS[name]), getattr(migrated, name)(*CALLS[name]))


def test_from_imports_fail_before_and_work_after():
    with pytest.raises(ImportError):
        load_module(FROM_IMPORTS, "api_from_legacy")
    a, b = {"x": np.arange(3.0), "y": 2.0}, {"x": np.full(3, 0.5), "y": 3.0}
    expected = [np.arange(3.0) * 0.5 + 0.5, 9.0]
    for target in ([], ["--target-jax", "0.4.20"]):
        result = rewrite(FROM_IMPORTS, JX5_ONLY + target)
        assert "tree_util" in result.rewritten if target else "jax.tree." in result.rewritten
        assert_same(expected, load_module(result.rewritten, "api_from_migrated").combine(a, b))

"""The facts of the installed JAX (jaxify.jax_facts): the same answers as JAX itself, kept on disk
so that a run does not import JAX, and never trusted when the file is damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
import warnings

import jax.numpy
import numpy
import pytest

from jaxify import jax_facts as facts_module
from jaxify.codemods.numpy_support import NUMPY_ONLY_PREFIXES, in_jax_numpy


def _numpy_members() -> list[str]:
    members = []

    def walk(prefix: str, namespace, depth: int) -> None:
        for name in dir(namespace):
            if name.startswith("__"):
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = getattr(namespace, name)
            except Exception:
                continue
            if isinstance(value, types.ModuleType):
                if depth < 2:
                    walk(f"{prefix}{name}.", value, depth + 1)
            else:
                members.append(prefix + name)

    walk("", numpy, 0)
    return members


def _in_jax_itself(member: str) -> bool:
    target = jax.numpy
    for part in member.split("."):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                target = getattr(target, part)
        except (AttributeError, NotImplementedError):
            return False
    return callable(target)


def test_every_numpy_member_is_found_as_jax_itself_finds_it():
    members = _numpy_members()
    assert len(members) > 1000
    facts = facts_module.collect()
    for member in members:
        if member.startswith(NUMPY_ONLY_PREFIXES):
            continue
        assert (member in facts.functions) == _in_jax_itself(member), member
    assert in_jax_numpy("linalg.norm") and in_jax_numpy("sum") and not in_jax_numpy("random.normal")


def test_parameters_are_jaxs_signatures():
    facts = facts_module.collect()
    assert ("axis", "POSITIONAL_OR_KEYWORD") in facts.functions["sum"] or ("axis", "KEYWORD_ONLY") in facts.functions["sum"]
    assert "flat" in facts.missing_attributes and "sum" not in facts.missing_attributes


def test_facts_written_once_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    facts_module.jax_facts.cache_clear()
    try:
        first = facts_module.jax_facts()
        written = list((tmp_path / "jaxify").glob("jax-facts-*.json"))
        assert len(written) == 1
        facts_module.jax_facts.cache_clear()
        assert facts_module.jax_facts() == first == facts_module.collect()
    finally:
        facts_module.jax_facts.cache_clear()


@pytest.mark.parametrize("damage", ["", "{not json", json.dumps({"functions": {}, "missing_attributes": []}),
                                    json.dumps({"functions": {"sum": [["a", "NO_SUCH_KIND"]]}, "missing_attributes": []})])
def test_a_damaged_facts_file_is_ignored_and_replaced(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    facts_module.jax_facts.cache_clear()
    try:
        path = facts_module._facts_file()
        path.parent.mkdir(parents=True)
        path.write_text(damage)
        assert facts_module.jax_facts() == facts_module.collect()
        assert json.loads(path.read_text())["functions"]["sum"]  # replaced by the collected facts
    finally:
        facts_module.jax_facts.cache_clear()


def test_an_unwritable_cache_folder_costs_only_the_import(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    facts_module.jax_facts.cache_clear()
    try:
        assert facts_module.jax_facts() == facts_module.collect()
    finally:
        facts_module.jax_facts.cache_clear()


RUN = """
import sys
from jaxify.engine import rewrite_text
from jaxify.config import Options
result = rewrite_text("import numpy as np\\ndef f(x):\\n    return np.sum(x) + np.linalg.norm(x, ord=2)\\n", "a.py",
                      Options(unsafe=True))
print(repr(result.rewritten))
print("jax" in sys.modules)
"""


def test_a_run_with_kept_facts_does_not_import_jax_and_rewrites_the_same(tmp_path):
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True, env=environment, check=True)
    second = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True, env=environment, check=True)
    rewritten, imported = first.stdout.splitlines()
    assert "jnp.linalg.norm(x, ord=2)" in rewritten and imported == "True"  # facts collected: JAX imported
    assert second.stdout.splitlines() == [rewritten, "False"]

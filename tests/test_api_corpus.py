"""The api_ corpus programs: each fails on the installed JAX / NumPy as written, and after the JX5xx
rewrite computes what its hand-written reference computes on the declared examples (JAX programs
also under ``jax.jit``, with the declared static arguments)."""

from __future__ import annotations

from pathlib import Path

import jax
import pytest

from harness import assert_same, load_module, rewrite

CORPUS = Path(__file__).parent.parent / "corpus"
PROGRAMS = sorted(path.stem for path in (CORPUS / "programs").glob("api_*.py"))


def _load(folder: str, name: str, text: str | None = None):
    return load_module(text if text is not None else (CORPUS / folder / f"{name}.py").read_text(), f"{folder}_{name}")


def _migrated_text(name: str) -> str:
    result = rewrite((CORPUS / "programs" / f"{name}.py").read_text(), ["--select", "JX5"])
    assert result.changed and {f.status.value for f in result.findings} == {"fixed"}, result.findings
    return result.rewritten


def test_there_are_api_programs():
    assert len(PROGRAMS) >= 4


@pytest.mark.parametrize("name", PROGRAMS)
def test_legacy_program_fails_as_written(name):
    try:
        legacy = _load("programs", name)
    except ImportError:
        return  # e.g. `from jax import tree_map`: the module cannot even be imported
    failed = []
    for function, calls in _load("examples", name).jaxify_examples().items():
        try:
            getattr(legacy, function)(*calls[0])
        except AttributeError:
            failed.append(function)
    assert failed, f"{name}: every function runs on the installed versions; nothing to migrate"


@pytest.mark.parametrize("name", PROGRAMS)
def test_migrated_program_matches_reference(name):
    text = _migrated_text(name)
    migrated, reference = _load("programs", name, text), _load("references", name)
    examples_module = _load("examples", name)
    statics = getattr(examples_module, "STATIC_ARGNAMES", {})
    for function, calls in examples_module.jaxify_examples().items():
        for args in calls:
            expected = getattr(reference, function)(*args)
            assert_same(expected, getattr(migrated, function)(*args), path=f"{name}.{function}")
            if "jax" in text:
                jitted = jax.jit(getattr(migrated, function), static_argnames=statics.get(function, ()))
                assert_same(expected, jitted(*args), path=f"jit {name}.{function}")

"""The cond_ corpus through the whole pipeline with ``--jit``: every function jaxify wraps in
``jax.jit`` runs jitted and matches the legacy program on the declared examples, and every other
function has a JX802 finding naming the line that blocks it."""

from __future__ import annotations

import copy

import pytest

from harness import REPO, assert_same, load_module, rewrite
from jaxify.findings import Status
from jaxify.verify.samples import declared_examples, import_file

CORPUS = REPO / "corpus"
PROGRAMS = sorted(path.stem for path in (CORPUS / "programs").glob("cond_*.py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_jit_rewrite_matches_program(name):
    path = CORPUS / "programs" / f"{name}.py"
    result = rewrite(path.read_text(encoding="utf-8"), ["--jit", "--assume-numeric-inputs"], path=path.name)
    assert not result.failed, [f.format() for f in result.findings]
    program = import_file(path, f"cond_corpus_program_{name}")
    rewritten = load_module(result.rewritten, name)
    examples, _statics = declared_examples(import_file(CORPUS / "examples" / f"{name}.py", f"cond_corpus_{name}"))
    wrapped = {f.message.split("`")[1] for f in result.findings if f.code == "JX801" and f.status is Status.FIXED}
    for function in sorted(wrapped):
        new = getattr(rewritten, function)
        assert hasattr(new, "lower"), f"{function} was reported wrapped but is not a jitted function"
        for args, kwargs in examples[function]:
            expected = getattr(program, function)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            assert_same(expected, new(*copy.deepcopy(args), **copy.deepcopy(kwargs)), rtol=1e-9, atol=1e-9)
    refused = {f.message.split("`")[1] for f in result.findings if f.code == "JX802"}
    for function in examples:
        assert function in wrapped | refused, f"{function} is neither wrapped nor refused with its blocking line"


def test_every_traced_conditional_in_the_cond_corpus_is_rewritten_or_refused():
    """No Python `if` on an array value survives silently: each is fixed or reported with a reason."""
    for path in sorted((CORPUS / "programs").glob("cond_*.py")):
        result = rewrite(path.read_text(encoding="utf-8"), ["--select", "JX4"], path=path.name)
        for finding in result.findings:
            assert finding.status is Status.FIXED or finding.reason, finding.format()
        assert any(f.code in ("JX401", "JX402", "JX403", "JX405") for f in result.findings), path.name

"""Every random corpus program is rewritten by the whole pipeline (with --unsafe: their entry
functions are public, so adding a `key` parameter is an unsafe fix), and every function of the
rewrite runs under `jax.jit` with JAX's key-reuse checking and draws from the original's
distribution, through the same check `jaxify verify` runs (many seeds and keys, two-sample tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jaxify.config import Options
from jaxify.engine import rewrite_text
from jaxify.verify.samples import declared_examples, import_file
from jaxify.verify.worker import check_function

CORPUS = Path(__file__).parent.parent / "corpus"
RANDOM_PROGRAMS = sorted(path.stem for path in (CORPUS / "programs").glob("random_*.py"))


def test_the_corpus_has_the_five_random_programs():
    assert len(RANDOM_PROGRAMS) >= 5, RANDOM_PROGRAMS


@pytest.mark.parametrize("name", RANDOM_PROGRAMS)
def test_random_program_is_rewritten_and_matches_in_distribution_under_jit(name, tmp_path):
    path = CORPUS / "programs" / f"{name}.py"
    # partial: the random codemod's own reach (the gate keeps a function with a refused loop on
    # NumPy, its draws included; tests/test_function_gate.py checks that)
    result = rewrite_text(path.read_text(encoding="utf-8"), str(path), Options(unsafe=True, partial=True))
    assert result.changed and not result.failed, [f.format() for f in result.findings]
    assert "np.random" not in result.rewritten, "every draw of a random corpus program moves to jax.random"
    assert any(f.code.startswith("JX2") for f in result.findings)

    rewritten_path = tmp_path / f"{name}.py"
    rewritten_path.write_text(result.rewritten, encoding="utf-8")
    original = import_file(path, f"random_corpus_original_{name}")
    rewritten = import_file(rewritten_path, f"random_corpus_rewritten_{name}")
    examples, statics = declared_examples(import_file(CORPUS / "examples" / f"{name}.py", f"random_corpus_ex_{name}"))
    job = {"hypothesis": 0, "precision": "keep", "key_name": "key", "timing": False, "gradient": False,
           "rewritten": str(rewritten_path)}
    for function, calls in examples.items():
        checked = check_function(job, {"name": function, "line": 1}, original, rewritten, calls, "examples", statics)
        assert checked["random"] is True, (function, checked["notes"], checked["findings"])
        assert checked["equivalent"] is True, (function, checked["findings"])

"""Grammar-generated programs (hypothesmith) with an array loop appended: no crash, the output
parses, and a second run changes nothing. Derandomized and bounded, so CI sees the same ~100
programs every time."""

from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from jaxify.config import Options
from jaxify.engine import rewrite_text

ARRAY_LOOP = """

import numpy as np


def _fuzz_loop(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out
"""


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
@settings(max_examples=100, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_fuzzed_programs_do_not_crash_and_rewrite_idempotently(program):
    text = program + ARRAY_LOOP
    first = rewrite_text(text, "fuzz.py", Options())
    assert not [f for f in first.findings if f.code == "JX003"], [f.format() for f in first.findings]
    if first.failed:
        return  # grammar-valid but refused with a JX002 finding (e.g. nesting beyond Python's limits)
    output = first.rewritten if first.rewritten is not None else text
    cst.parse_module(output)
    second = rewrite_text(output, "fuzz.py", Options())
    assert second.rewritten is None, "a second run changed the output again"

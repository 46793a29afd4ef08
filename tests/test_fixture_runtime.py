"""Every rewrite fixture with runtime inputs computes, under ``jax.jit``, what its original computed.

One convention for every family: a fixture ``<case>.py`` with its rewrite ``<case>.expected.py``
and a ``<case>.examples.py`` sidecar (``harness.Examples``) is run by ``harness.check_rewrite_under_jit``.
The loop fixtures are run by test_loops_runtime, which also runs the corpus's loop programs; the
randomness fixtures, whose rewrites draw other numbers, by test_random_loops_runtime (by distribution).
"""

from __future__ import annotations

import pytest

from harness import FIXTURES, check_rewrite_under_jit

CASES = sorted(
    path.with_name(path.name.replace(".examples.py", ".py"))
    for path in FIXTURES.rglob("*.examples.py")
    if path.parent.name not in ("loops", "randomness") and path.with_name(path.name.replace(".examples.py", ".expected.py")).exists()
)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.relative_to(FIXTURES).with_suffix("").as_posix())
def test_rewrite_matches_original_under_jit(case):
    assert check_rewrite_under_jit(case) > 0

"""Every fixture under tests/fixtures/<family>/ is a before/after pair with its expected findings.

- ``case.py``: the input. A first-line comment ``# jaxify-test: FLAGS`` gives command-line flags.
- ``case.expected.py``: the expected output; when absent, the input must come out unchanged.
- ``case.findings``: one expected finding a line, ``LINE CODE STATUS MESSAGE`` (STATUS: fixed,
  unsafe, not-fixed), so a changed message shows in review; when absent, no finding is expected.
- ``case.examples.py`` (optional): runtime inputs, read by ``harness.Examples``; the runtime tests
  and the ``--select`` matrix run the case on them.

Each case also checks that the output parses and that a second run changes nothing.
"""

from __future__ import annotations

import shlex

import libcst as cst
import pytest

from harness import FIXTURES, rewrite

CASES = sorted(
    path
    for path in FIXTURES.rglob("*.py")
    if not path.name.endswith((".expected.py", ".examples.py"))
)


def flags_of(text: str) -> list[str]:
    first = text.splitlines()[0] if text else ""
    prefix = "# jaxify-test:"
    return shlex.split(first[len(prefix):]) if first.startswith(prefix) else []


def findings_text(result) -> list[str]:
    return [f"{f.line} {f.code} {f.status.value.replace(' ', '-')} {f.message}" for f in result.findings]


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(FIXTURES).with_suffix("")))
def test_fixture(case):
    source = case.read_text(encoding="utf-8")
    flags = flags_of(source)
    result = rewrite(source, flags, path=case.name)
    assert not result.failed, result.findings

    expected_path = case.with_name(case.stem + ".expected.py")
    expected = expected_path.read_text(encoding="utf-8") if expected_path.exists() else source
    output = result.rewritten if result.changed else source
    assert output == expected

    findings_path = case.with_name(case.stem + ".findings")
    expected_findings = (
        [line.strip() for line in findings_path.read_text().splitlines() if line.strip() and not line.startswith("#")]
        if findings_path.exists()
        else []
    )
    assert sorted(findings_text(result)) == sorted(expected_findings)

    cst.parse_module(output)
    again = rewrite(output, flags, path=case.name)
    assert not again.changed, "second run changed the output: the codemod is not idempotent"

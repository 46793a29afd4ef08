"""`--select` decides what is applied, never what a rewrite means.

For every fixture with runtime inputs (a ``<case>.examples.py`` sidecar), each rule family run
alone (``--select JX1`` ... ``--select JX8``) and all families together must give a program that
computes what the original computes on the sidecar's inputs. A codemod that learned a fact from
another family's findings (and so rewrote differently when that family was off) fails here.

Both programs run eagerly, on copies of the same arguments: a family run alone may leave code that
only runs outside jit (a Python ``if`` on an array), which is still the original's meaning. The
arguments are compared afterwards too, since a rewrite that stops writing an argument the original
wrote changes what the caller sees; where the rewrite makes a function return what it wrote (JX107,
``--unsafe``; the sidecar's ``RETURNS_WRITTEN``), its result is compared with the original's result
followed by those arguments.
"""

from __future__ import annotations

import copy

import pytest

from harness import FIXTURES, assert_same, examples_of, load_module, result_with_written_arguments, rewrite
from test_fixtures import flags_of

SELECTIONS = [f"JX{family}" for family in range(1, 9)] + ["all"]
# The randomness fixtures' rewrites draw other numbers (and take a key): they are compared with
# their originals by distribution, in test_random_loops_runtime.
CASES = sorted(path for path in FIXTURES.rglob("*.examples.py") if path.parent.name != "randomness")


def _flags(case_text: str, selection: str) -> list[str]:
    """The fixture's own flags (``--unsafe``, ``--precision``, ...) without its rule selection."""
    flags, kept = flags_of(case_text), []
    skip = False
    for flag in flags:
        if skip:
            skip = False
            continue
        if flag in ("--select", "--ignore"):
            skip = True
            continue
        kept.append(flag)
    return kept if selection == "all" else [*kept, "--select", selection]


@pytest.mark.parametrize("examples_path", CASES, ids=lambda p: str(p.relative_to(FIXTURES)).removesuffix(".examples.py"))
def test_every_family_alone_and_all_together_keep_the_results(examples_path):
    case = examples_path.with_name(examples_path.name.replace(".examples.py", ".py"))
    text = case.read_text(encoding="utf-8")
    examples = examples_of(examples_path)
    if examples.reference:
        pytest.skip("the original calls APIs the installed versions removed: it cannot run")
    original = load_module(text, "original")
    expected = {
        (name, index): _call(original, name, examples.arguments(args))
        for name, calls in examples.calls.items()
        for index, args in enumerate(calls)
    }
    for selection in SELECTIONS:
        result = rewrite(text, _flags(text, selection), path=case.name)
        assert not result.failed, (selection, [f.format() for f in result.findings])
        if not result.changed:
            continue
        rewritten = load_module(result.rewritten, f"select_{selection}")
        for name, calls in examples.calls.items():
            written = examples.returns_written.get(name, ()) if _returns_written(result, name) else ()
            for index, args in enumerate(calls):
                args = examples.arguments(args)
                if written:  # the rewrite hands back what the original wrote in place (JX107)
                    want = result_with_written_arguments(getattr(original, name), args, written)
                    actual = getattr(rewritten, name)(*copy.deepcopy(args))
                else:
                    want, actual = expected[name, index], _call(rewritten, name, args)
                assert_same(want, actual, rtol=1e-9, atol=1e-12,
                            path=f"{name} example {index} with --select {selection}")


def _returns_written(result, name: str) -> bool:
    """Whether this rewrite made ``name`` return the parameters it wrote (a JX107 fix for it)."""
    return any(f.code == "JX107" and f.status.value == "fixed" and f.message.startswith(f"`{name}` writes ")
               for f in result.findings)


def _call(module, name, args):
    """The function's result, and its arguments afterwards (what a caller could observe)."""
    args = copy.deepcopy(args)
    return getattr(module, name)(*args), args

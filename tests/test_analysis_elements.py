"""jaxify.analysis.elements: an element read `x[i]` copies one number when `x` has exactly as many
dimensions as the read has indices; proven from the text, or assumed from a truth test of one."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from jaxify.analysis.elements import Copies, ElementFacts, ElementRead
from test_ranks import resolve


def facts_of(body: str) -> ElementFacts:
    function = cst.parse_module(textwrap.dedent(body)).body[0]
    return ElementFacts(function, resolve, line_of=lambda node: 7)


SWAP = """
def f(a, m, s, idx):
    x = a.copy()
    for i in range(x.shape[0] - 1):
        if {test}:
            tmp = x[i]
            x[i] = x[i + 1]
            x[i + 1] = tmp
"""


@pytest.mark.parametrize("text, read", [
    ("x[i]", ElementRead("x", 1, "x[i]")),  # a range loop's target
    ("x[i + 1, 0]", ElementRead("x", 2, "x[i + 1, 0]")),
    ("x[-1]", ElementRead("x", 1, "x[-1]")),
    ("x[1:]", None), ("x[idx]", None),  # a slice; a parameter that may be an index array
    ("x[i, :]", None), ("x[...]", None), ("x[i][0]", None),
])
def test_element_reads_have_integer_indices_only(text, read):
    assert facts_of(SWAP.format(test="x[0] > 0")).read(cst.parse_expression(text)) == read


@pytest.mark.parametrize("test", [
    "x[i] > x[i + 1]", "x[i + 1] < x[i]", "not x[i] == 0", "x[i] - x[i + 1] > 0", "x[i] > 0 and s",
])
def test_a_truth_test_of_an_element_makes_the_assumption(test):
    facts = facts_of(SWAP.format(test=test))
    copies = facts.copies(ElementRead("x", 1, "x[i]"), "tmp")
    assert not copies.proven and copies
    assert copies.assumption.startswith("`x` is one-dimensional, so `tmp` (read as `x[i]`) is a copy of one number")
    assert "shape (n, 1)" in copies.assumption and "(line 7)" in copies.assumption


@pytest.mark.parametrize("test", [
    "s > 0",  # no element of x
    "s and x[i] > 0",  # the right operand of `and` is not always tested
    "x[i] is None", "x[i] in s",  # `is` and `in` test no array's truth
    "x[i, 0] > 0",  # an element with two indices says nothing about reads with one
    "x[0:2].any()", "x[i] @ x[i]",  # reductions
])
def test_no_evidence_no_assumption(test):
    assert not facts_of(SWAP.format(test=test)).copies(ElementRead("x", 1, "x[i]"), "tmp")


def test_the_text_proves_the_rank_or_rules_the_assumption_out():
    one = facts_of("""
        def f(a):
            (n,) = a.shape
            x = a.copy()
    """)
    assert one.copies(ElementRead("x", 1, "x[i]"), "tmp") == Copies(proven=True)
    two = facts_of("""
        def f(a):
            h, w = a.shape
            x = a.copy()
            if x[0] > x[1]:
                pass
    """)
    assert not two.copies(ElementRead("x", 1, "x[0]"), "tmp")  # two-dimensional: a row, whatever the test says


def test_a_name_bound_twice_gets_no_assumption():
    facts = facts_of("""
        def f(a, b):
            x = a.copy()
            if x[0] > x[1]:
                x = b.copy()
    """)
    assert not facts.copies(ElementRead("x", 1, "x[0]"), "tmp")


def test_holders_written_in_place_or_shared_otherwise_are_not_copies():
    facts = facts_of(SWAP.format(test="x[i] > x[i + 1]"))
    element = ElementRead("x", 1, "x[i]")
    holders = {"tmp": frozenset({element}), "y": frozenset({element, None}), "held": frozenset({element})}
    copied = facts.copied_holders(holders, written={"x", "held"})
    assert set(copied) == {"tmp"} and copied["tmp"].startswith("`x` is one-dimensional")

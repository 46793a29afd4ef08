"""Element reads: ``x[i]`` or ``x[i, j]`` with every index a Python integer, inside one function.

Such a read is one element (a NumPy scalar, a copy) exactly when ``x`` has as many dimensions as
the read has indices; when ``x`` has more, it is a view of a sub-array, and a later write to ``x``
changes it. So ``tmp = x[i]`` followed by ``x[i] = x[i + 1]`` shares nothing when ``x`` is
one-dimensional, and shares a row when it is not (the classic swap is then wrong in NumPy itself).
This holds for numeric arrays, the only ones a rewrite takes (see the input contract): an element
of a structured array is a view whatever the rank.

Two kinds of evidence tell the rank, and they are kept apart:

- a proof: the rank the function's text gives ``x`` (:mod:`jaxify.analysis.ranks`);
- an assumption: a Python truth test of such a read (``if x[i] > x[i + 1]:``, ``while x[j] > key``,
  ``assert``, ``a if x[i] else b``). NumPy raises there unless the read holds exactly one number,
  so ``x`` has as many dimensions as the read has indices, or more whose lengths are all 1 (and
  there the read is a view). Taking it as exactly that many is an assumption the caller states;
  it is offered only for a name that is one array throughout the function.

The facts are computed once per function and read by the mutation analysis and the codemods.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst

from jaxify.analysis.expressions import code_of
from jaxify.analysis.ranks import FunctionRanks, Resolve
from jaxify.analysis.tree import TreeIndex, visit

DIMENSIONS = {1: "one-dimensional", 2: "two-dimensional", 3: "three-dimensional"}
AXIS_NAMES = "nmpqrs"
# arithmetic whose result broadcasts its operands: one number out means one number in
ELEMENTWISE = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo, cst.Power)
# comparisons that compare element by element (not `in` or `is`, which test no array's truth)
ELEMENTWISE_COMPARISONS = (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual, cst.Equal,
                           cst.NotEqual)


@dataclasses.dataclass(frozen=True)
class ElementRead:
    """``base[i, ...]`` with ``indices`` integer indices; ``shown`` is its source text."""

    base: str
    indices: int
    shown: str


@dataclasses.dataclass(frozen=True)
class Copies:
    """Whether an element read copies: ``proven`` from the text, or under ``assumption`` (a
    sentence stating it); neither: it may be a view."""

    proven: bool = False
    assumption: str = ""

    def __bool__(self) -> bool:
        return self.proven or bool(self.assumption)


class ElementFacts:
    """The element reads of one function and what is known about their bases' ranks."""

    def __init__(self, function: cst.FunctionDef, resolve: Resolve, line_of: Callable[[cst.CSTNode], int],
                 tree: TreeIndex | None = None):
        self.ranks = FunctionRanks(function, resolve, tree)
        self.line_of = line_of
        # (base, indices) -> the first truth test that needs such a read to hold one number
        self.tested: dict[tuple[str, int], cst.BaseExpression] = {}
        tests = _TruthTests()
        visit(tree, function.body, tests)
        for test in tests.found:
            for part in _one_number_parts(test):
                read = self.read(part)
                if read is not None:
                    self.tested.setdefault((read.base, read.indices), test)

    def read(self, node: cst.BaseExpression) -> ElementRead | None:
        """``node`` as an element read, if it is one (every index a proven integer)."""
        if not isinstance(node, cst.Subscript) or not isinstance(node.value, cst.Name):
            return None
        if not all(isinstance(e.slice, cst.Index) and getattr(e.slice, "star", None) is None and self.ranks.is_int(e.slice.value)
                   for e in node.slice):
            return None
        return ElementRead(node.value.value, len(node.slice), code_of(node))

    def proven(self, read: ElementRead) -> bool:
        """The function's text proves ``read`` is one number: its base has one dimension per index."""
        return self.ranks.rank(read.base) == read.indices

    def copies(self, read: ElementRead, holder: str) -> Copies:
        """Whether ``holder`` (a name bound to ``read``) holds a copy rather than a view."""
        rank = self.ranks.rank(read.base)
        if rank is not None:  # the text decides: no assumption against it
            return Copies(proven=self.proven(read))
        test = self.tested.get((read.base, read.indices))
        if test is None or not self.ranks.bound_once(read.base):
            return Copies()
        dimensions = DIMENSIONS.get(read.indices, f"{read.indices}-dimensional")
        shape = ", ".join([*AXIS_NAMES[:read.indices], "1"])
        return Copies(assumption=(
            f"`{read.base}` is {dimensions}, so `{holder}` (read as `{read.shown}`) is a copy of one number: the test "
            f"`{code_of(test)}` (line {self.line_of(test)}) only shows that `{read.shown}` is one number, which it "
            f"also is when `{read.base}` has shape ({shape}), and then `{holder}` would be a view that NumPy's write changes"
        ))


    def copied_holders(self, holder_reads: dict[str, frozenset[ElementRead | None]],
                       written: set[str]) -> dict[str, str]:
        """Of the names that share a written array (``holder_reads``: each one's element reads of
        it, None for any other way), those that only hold element reads that copy: name -> the
        assumption that makes them copies ("" when the text proves it). A name that is itself
        written in place (in ``written``) is left out: NumPy writes through it only if it is a view."""
        copied: dict[str, str] = {}
        for holder, reads in holder_reads.items():
            verdicts = [self.copies(read, holder) for read in reads if read is not None]
            if holder in written or None in reads or not all(verdicts):
                continue
            copied[holder] = next((v.assumption for v in verdicts if v.assumption), "")
        return copied


class _TruthTests(cst.CSTVisitor):
    """The tests Python takes the truth of: ``if``, ``elif``, ``while``, ``assert``, ``a if c else b``."""

    def __init__(self):
        self.found: list[cst.BaseExpression] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function is its own scope

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_If(self, node: cst.If) -> None:
        self.found.append(node.test)

    def visit_While(self, node: cst.While) -> None:
        self.found.append(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self.found.append(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.found.append(node.test)


def _one_number_parts(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of a truth test that must each hold one number for the test not to raise.

    ``not`` passes the truth test to its operand; ``a and b`` always tests ``a`` (not always
    ``b``); a single comparison and elementwise arithmetic broadcast their operands, so one number
    out means one number per operand (chained comparisons and ``@`` are left out)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _one_number_parts(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _one_number_parts(test.left)
    return _elementwise_operands(test)


def _elementwise_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if (isinstance(node, cst.Comparison) and len(node.comparisons) == 1
            and isinstance(node.comparisons[0].operator, ELEMENTWISE_COMPARISONS)):
        return [*_elementwise_operands(node.left), *_elementwise_operands(node.comparisons[0].comparator)]
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, ELEMENTWISE):
        return [*_elementwise_operands(node.left), *_elementwise_operands(node.right)]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return _elementwise_operands(node.expression)
    return [node]

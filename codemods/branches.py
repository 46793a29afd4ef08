"""The shapes of if-statement branches, read syntactically: their simple statements, what they
assign and read, their comments. Shared by the conditional rewrites in ``conditionals``."""

from __future__ import annotations

import dataclasses

import libcst as cst

from jaxify.analysis.expressions import code_of


class Refusal(Exception):
    """A branch shape a rewrite form cannot take; the message is the reason given to the user."""


@dataclasses.dataclass
class Link:
    """One arm of an if/elif/else chain: the test (None for else) and its body, original and updated."""

    test_original: cst.BaseExpression | None
    test: cst.BaseExpression | None
    block_original: cst.BaseSuite
    block: cst.BaseSuite


def small_statements(block: cst.BaseSuite | cst.SimpleStatementLine | None) -> list[cst.BaseSmallStatement]:
    """The simple statements of a branch body; nested compound statements are refused."""
    if block is None:
        return []
    if isinstance(block, (cst.SimpleStatementSuite, cst.SimpleStatementLine)):
        return list(block.body)
    statements: list[cst.BaseSmallStatement] = []
    for line in block.body:
        if not isinstance(line, cst.SimpleStatementLine):
            raise Refusal(f"a branch holds a nested `{type(line).__name__.lower()}` block")
        statements.extend(line.body)
    return statements


def comment_lines(block: cst.BaseSuite) -> list[cst.EmptyLine]:
    """The comments of a branch, kept as comment lines above the rewritten statement."""
    found: list[cst.EmptyLine] = []

    def keep(comment: cst.Comment | None) -> None:
        if comment is not None:
            found.append(cst.EmptyLine(comment=comment))

    if isinstance(block, cst.IndentedBlock):
        keep(block.header.comment)
        for line in block.body:
            found.extend(empty for empty in line.leading_lines if empty.comment is not None)
            if isinstance(line, cst.SimpleStatementLine):
                keep(line.trailing_whitespace.comment)
        found.extend(empty for empty in block.footer if empty.comment is not None)
    elif isinstance(block, cst.SimpleStatementLine):
        found.extend(empty for empty in block.leading_lines if empty.comment is not None)
        keep(block.trailing_whitespace.comment)
    elif isinstance(block, cst.SimpleStatementSuite):
        keep(block.trailing_whitespace.comment)
    return found


def assigned_name(statement: cst.BaseSmallStatement) -> tuple[str, cst.BaseExpression] | None:
    pairs = assigned_pairs(statement)
    return pairs[0] if pairs is not None and len(pairs) == 1 else None


def assigned_pairs(statement: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression]] | None:
    """``y = v`` -> [(y, v)]; ``a, b = u, v`` -> [(a, u), (b, v)] (values read before any store)."""
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0].target, statement.value
        if isinstance(target, cst.Name):
            return [(target.value, value)]
        if (
            isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)
            and len(target.elements) == len(value.elements)
            and all(isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in target.elements)
            and all(isinstance(e, cst.Element) for e in value.elements)
        ):
            return [(t.value.value, v.value) for t, v in zip(target.elements, value.elements)]
    if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name) and statement.value:
        return [(statement.target.value, statement.value)]
    return None


def statement_reads(statement: cst.BaseSmallStatement) -> set[str]:
    """Names a simple statement loads (its assignment targets excluded)."""
    if isinstance(statement, (cst.Assign, cst.AnnAssign)):
        return names_read(statement.value) if statement.value is not None else set()
    if isinstance(statement, cst.AugAssign):
        return names_read(statement.target) | names_read(statement.value)
    return names_read(statement)


def target_names(target: cst.BaseExpression) -> list[str] | None:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            inner = target_names(element.value)
            if inner is None:
                return None
            names.extend(inner)
        return names
    return None


def names_read(node: cst.CSTNode) -> set[str]:
    """Names loaded anywhere in ``node`` (attribute names and keywords excluded)."""
    found: set[str] = set()

    class Reader(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            attribute.value.visit(self)
            return False

        def visit_Arg(self, arg: cst.Arg) -> bool:
            arg.value.visit(self)
            return False

        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return True

    node.visit(Reader())
    return found


def raise_message(raise_: cst.Raise) -> str:
    """The text of ``raise ValueError("...")`` as a checkify message (its braces escaped)."""
    exc = raise_.exc
    if isinstance(exc, cst.Call):
        name = code_of(exc.func)
        if exc.args and isinstance(exc.args[0].value, cst.SimpleString):
            value = exc.args[0].value.evaluated_value
            if isinstance(value, str):
                return f"{name}: {value}".replace("{", "{{").replace("}", "}}")
        return name
    return code_of(exc) if exc is not None else "raise"


PRECEDENCE = {
    cst.BitOr: 1, cst.BitXor: 2, cst.BitAnd: 3, cst.LeftShift: 4, cst.RightShift: 4, cst.Add: 5,
    cst.Subtract: 5, cst.Multiply: 6, cst.Divide: 6, cst.FloorDivide: 6, cst.Modulo: 6,
    cst.MatrixMultiply: 6, cst.Power: 8,
}


def binds_looser(value: cst.BaseExpression, operator: cst.BaseBinaryOp) -> bool:
    """Whether ``left <operator> value`` needs parentheses around ``value``."""
    if value.lpar:
        return False
    if isinstance(value, cst.BinaryOperation):
        return PRECEDENCE[type(value.operator)] <= PRECEDENCE[type(operator)]
    return isinstance(value, (cst.BooleanOperation, cst.Comparison, cst.IfExp, cst.Lambda, cst.NamedExpr)) or (
        isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not)
    )


def unparen(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[], rpar=[]) if getattr(node, "lpar", None) else node

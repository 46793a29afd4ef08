"""Names a statement of a loop reads and writes, in order: the data flow the loop analysis
(:mod:`jaxify.analysis.loops`) and its blocker search read. Syntactic, on the visited tree."""

from __future__ import annotations

import dataclasses
from typing import Iterable, Sequence

import libcst as cst

from jaxify.analysis.tree import visit

# -- names read and written -----------------------------------------------------------------


def target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in target_names(element.value)]
    return []


class _Reads(cst.CSTVisitor):
    """Names loaded by an expression or statement; names bound inside comprehensions, lambdas and
    nested functions are local to them and do not count."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        visit(None, node.value, self)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        visit(None, node.func, self)
        for arg in node.args:
            visit(None, arg.value, self)  # keyword names are not reads
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        params = {p.name.value for p in node.params.params}
        self.names.extend(name for name in reads_of(node.body) if name not in params)
        return False

    def _comprehension(self, node, parts: Sequence[cst.CSTNode]) -> bool:
        bound: set[str] = set()
        clause = node.for_in
        while clause is not None:
            self.names.extend(name for name in reads_of(clause.iter) if name not in bound)
            bound.update(target_names(clause.target))
            for condition in clause.ifs:
                self.names.extend(name for name in reads_of(condition.test) if name not in bound)
            clause = clause.inner_for_in
        for part in parts:
            self.names.extend(name for name in reads_of(part) if name not in bound)
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return self._comprehension(node, [node.key, node.value])

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            visit(None, decorator, self)
        for param in [*node.params.params, *node.params.kwonly_params, *node.params.posonly_params]:
            if param.default is not None:
                visit(None, param.default, self)
        self.names.extend(sorted(free_names(node)))
        return False


def reads_of(node: cst.CSTNode) -> list[str]:
    collector = _Reads()
    visit(None, node, collector)
    return collector.names


def free_names(function: cst.FunctionDef) -> set[str]:
    """Names a nested function reads from its enclosing scope."""
    params = function.params
    local = {p.name.value for p in [*params.params, *params.kwonly_params, *params.posonly_params]}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            local.add(star.name.value)
    flow = block_flow(function.body.body)
    local |= flow.written
    return {name for name in flow.exposed if name not in local} | {
        name for name in _all_reads(function.body) if name not in local
    }


def _all_reads(node: cst.CSTNode) -> set[str]:
    return set(reads_of(node))


@dataclasses.dataclass
class Flow:
    exposed: set[str]  # read before surely written
    surely: set[str]  # written on every path
    written: set[str]  # written on some path


def assign_targets(small: cst.BaseSmallStatement) -> list[cst.BaseExpression]:
    if isinstance(small, cst.Assign):
        return [target.target for target in small.targets]
    if isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        return [small.target]
    return []


def statement_flow(statement: cst.CSTNode) -> Flow:
    if isinstance(statement, cst.SimpleStatementLine):
        return block_flow(statement.body)
    if isinstance(statement, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
        reads: list[str] = []
        value = statement.value
        if value is not None:
            reads += reads_of(value)
        written: list[str] = []
        for target in assign_targets(statement):
            names = target_names(target)
            if names or isinstance(target, (cst.Tuple, cst.List)):
                written += names
            else:  # x[i] = v, obj.attr = v: the base object is read
                reads += reads_of(target)
        if isinstance(statement, cst.AugAssign):
            reads += written
        return Flow(set(reads), set(written), set(written))
    if isinstance(statement, cst.For):
        body = block_flow(statement.body.body)
        targets = set(target_names(statement.target))
        exposed = set(reads_of(statement.iter)) | (body.exposed - targets)
        return Flow(exposed, set(), body.written | targets)
    if isinstance(statement, cst.While):
        body = block_flow(statement.body.body)
        return Flow(set(reads_of(statement.test)) | body.exposed, set(), body.written)
    if isinstance(statement, cst.If):
        body = block_flow(statement.body.body)
        if statement.orelse is None:
            other = Flow(set(), set(), set())
        elif isinstance(statement.orelse, cst.If):
            other = statement_flow(statement.orelse)
        else:
            other = block_flow(statement.orelse.body.body)
        exposed = set(reads_of(statement.test)) | body.exposed | other.exposed
        return Flow(exposed, body.surely & other.surely, body.written | other.written)
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return Flow(_all_reads(statement), {statement.name.value}, {statement.name.value})
    # Expressions, returns, anything else: reads only.
    return Flow(_all_reads(statement), set(), set())


def block_flow(statements: Iterable[cst.CSTNode]) -> Flow:
    """Exposed reads and writes of a sequence of statements run in order."""
    exposed: set[str] = set()
    surely: set[str] = set()
    written: set[str] = set()
    for statement in statements:
        flow = statement_flow(statement)
        exposed |= flow.exposed - surely
        surely |= flow.surely
        written |= flow.written
    return Flow(exposed, surely, written)



def assigned_names(body: Iterable[cst.CSTNode], into_functions: bool = False) -> list[str]:
    """Names ``body`` assigns (``=``, ``+=``, annotated, ``for`` targets, a ``def``'s name), in the
    order of their first write; with ``into_functions``, inside nested function bodies too."""
    order: list[str] = []

    class Writes(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            order.extend(target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            order.extend(target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            order.extend(target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            order.extend(target_names(node.target))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            order.append(node.name.value)
            return into_functions

    for statement in body:
        visit(None, statement, Writes())
    return list(dict.fromkeys(order))

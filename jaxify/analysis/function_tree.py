"""Facts read off a function's syntax tree that the mutation analysis needs: its parameters, how a
call binds arguments to them, which parameters it may return, which names it declares global, and
every function of a module."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from jaxify.analysis.tree import TreeIndex, visit, walk


def parameters(function: cst.FunctionDef) -> list[cst.Param]:
    params = function.params
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    found += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return found


def bind_arguments(params: list[str], call: cst.Call) -> Iterator[tuple[str, cst.BaseExpression]]:
    """(parameter, argument) pairs for the positional and keyword arguments of ``call``."""
    for index, arg in enumerate(call.args):
        if arg.star:
            return
        if arg.keyword is not None:
            if arg.keyword.value in params:
                yield arg.keyword.value, arg.value
        elif index < len(params):
            yield params[index], arg.value


def returned_params(function: cst.FunctionDef, tree: TreeIndex | None = None) -> frozenset[str]:
    """Parameters the function may return (or a view of): its callers then share the buffer.
    ``tree``, here and below: the module's walks without rebuilding, when the caller has one."""
    returns = _Returns(function)
    visit(tree, function, returns)
    return frozenset(returns.found)


class _Returns(cst.CSTVisitor):
    # at module level, not in the function: a class made per call costs its creation and
    # leaves a reference cycle (class, methods, closure) for the garbage collector
    def __init__(self, function: cst.FunctionDef):
        super().__init__()
        self.function = function
        self.params = {p.name.value for p in parameters(function)}
        self.found: set[str] = set()

    def visit_FunctionDef(self, node):
        return node is self.function

    def visit_Return(self, node):
        values = node.value.elements if isinstance(node.value, cst.Tuple) else [node.value]
        for value in values:
            value = getattr(value, "value", value) if isinstance(value, cst.Element) else value
            while isinstance(value, (cst.Subscript, cst.Attribute)):
                value = value.value
            if isinstance(value, cst.Name) and value.value in self.params:
                self.found.add(value.value)


def declared_globals(body, tree: TreeIndex | None = None) -> frozenset[str]:
    found = _Globals()
    for stmt in body:
        visit(tree, stmt, found)
    return frozenset(found.names)


class _Globals(cst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def visit_FunctionDef(self, node):
        return False

    def visit_ClassDef(self, node):
        return False

    def visit_Global(self, node):
        self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node):
        self.names.update(item.name.value for item in node.names)


def all_functions(module: cst.Module, tree: TreeIndex | None = None) -> list[cst.FunctionDef]:
    """Every function of the module, nested ones included, in source order."""
    return [node for node in walk(module, tree) if type(node) is cst.FunctionDef]

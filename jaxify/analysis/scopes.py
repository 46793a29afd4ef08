"""One walk over a module that records, per function (and for the module itself), what the
value-kind analysis needs: parameters, every binding of every name, returns, calls and the
syntactic evidence of how each name is used.

A binding remembers where its value comes from as ``(expression, path)``: the path says which
part of the expression the name receives (``ITER`` for a ``for`` target, an int for one element
of a tuple unpacking), so ``for i, row in enumerate(X)`` gives ``i`` a static int and ``row`` an
element of ``X``.
"""

from __future__ import annotations

import dataclasses
from typing import Union

import libcst as cst

from jaxify.analysis.names import QualifiedNames, array_api_member
from jaxify.analysis.numpy_api import (
    AXIS_FIRST_METHODS,
    STATIC_POSITIONAL_METHODS,
    INTEGRAL_PARAMETERS,
    host_reason,
    parameter_names,
    static_parameters,
)
from jaxify.analysis.tree import EachNodeVisitor

ITER = "iter"
PathStep = Union[str, int]

# Strength of the evidence that a parameter is static or an array, strongest first. CALLER_STATIC
# (every local caller passes a static value) says what the module's own calls pass, not what the
# function needs: it makes the parameter a static argument only where a traced value would not do.
ANNOTATED_ARRAY, HARD_STATIC, ANNOTATED_STATIC, USED_AS_ARRAY, SOFT_STATIC, DEFAULT_STATIC, CALLER_STATIC = range(7)

_ARRAY_ANNOTATIONS = ("ndarray", "Array", "ArrayLike", "NDArray")
_STATIC_ANNOTATIONS = ("int", "bool", "str", "float", "Sequence", "tuple", "Tuple", "Literal", "dict")


@dataclasses.dataclass
class Binding:
    source: cst.CSTNode | None  # the expression the value comes from; None for a fixed kind
    path: tuple[PathStep, ...]
    node: cst.CSTNode  # where the binding happens (for line numbers)
    fixed: str | None = None  # "static" / "unknown" when the kind does not depend on an expression
    augmented: bool = False  # x += v: the value also depends on the name's earlier bindings


@dataclasses.dataclass
class Evidence:
    strength: int
    text: str  # "used as range(n)"; the line is added when the evidence is shown
    node: cst.CSTNode
    integral: bool = False  # the use needs a Python int (a range bound, a shape, a slice bound)


@dataclasses.dataclass
class Scope:
    """A function body, or the module's top level (``node`` is the Module)."""

    node: cst.CSTNode
    name: str
    parent: "Scope | None"
    params: list[str] = dataclasses.field(default_factory=list)
    bindings: dict[str, list[Binding]] = dataclasses.field(default_factory=dict)
    returns: list[cst.CSTNode] = dataclasses.field(default_factory=list)
    evidence: dict[str, list[Evidence]] = dataclasses.field(default_factory=dict)
    # (param name, partner expression): the name meets the partner in arithmetic
    partners: list[tuple[str, cst.CSTNode]] = dataclasses.field(default_factory=list)
    host_calls: list[tuple[cst.Call, str, str]] = dataclasses.field(default_factory=list)
    calls: list[cst.Call] = dataclasses.field(default_factory=list)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def note(self, name: str, evidence: Evidence) -> None:
        self.evidence.setdefault(name, []).append(evidence)


def static_position_names(expr: cst.CSTNode) -> list[cst.Name]:
    """Names whose value becomes the value of ``expr`` when it is used as a static (a shape, a bound).

    ``n - 1`` and ``(n, m)`` expose ``n`` and ``m``; ``len(x)`` and ``x.shape[0]`` expose nothing,
    because their value is static whatever ``x`` is.
    """
    if isinstance(expr, cst.Name):
        return [expr]
    if isinstance(expr, cst.BinaryOperation):
        return static_position_names(expr.left) + static_position_names(expr.right)
    if isinstance(expr, cst.UnaryOperation):
        return static_position_names(expr.expression)
    if isinstance(expr, (cst.Tuple, cst.List)):
        return [name for element in expr.elements for name in static_position_names(element.value)]
    if isinstance(expr, cst.IfExp):
        return static_position_names(expr.body) + static_position_names(expr.orelse)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("int", "min", "max", "abs", "round"):
        return [name for arg in expr.args for name in static_position_names(arg.value)]
    return []


def data_position_names(expr: cst.CSTNode) -> list[cst.Name]:
    """Names whose values are computed on when ``expr`` is passed as array data to NumPy:
    ``-x``, ``x * w``, ``x[i]`` and ``x > 0`` all expose ``x`` (and ``w``)."""
    if isinstance(expr, cst.Name):
        return [expr]
    if isinstance(expr, cst.UnaryOperation):
        return data_position_names(expr.expression)
    if isinstance(expr, cst.BinaryOperation):
        return data_position_names(expr.left) + data_position_names(expr.right)
    if isinstance(expr, cst.Comparison) and not any(
        isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in expr.comparisons
    ):
        operands = [expr.left, *(c.comparator for c in expr.comparisons)]
        return [name for operand in operands for name in data_position_names(operand)]
    if isinstance(expr, cst.Subscript) or (isinstance(expr, cst.Attribute) and expr.attr.value in ("T", "real", "imag")):
        return data_position_names(expr.value)
    return []


def _annotation_text(annotation: cst.Annotation | None) -> str:
    if annotation is None:
        return ""
    return cst.Module([]).code_for_node(annotation.annotation)


def _call_name(call: cst.Call) -> str:
    return cst.Module([]).code_for_node(call.func)


class ScopeCollector(EachNodeVisitor):
    """Builds the :class:`Scope` of the module and of every function, and maps nodes to scopes."""

    def __init__(self, module: cst.Module, names: QualifiedNames):
        super().__init__()
        self.names = names
        self.module_scope = Scope(module, "<module>", None)
        self.scopes: list[Scope] = [self.module_scope]
        self.functions: dict[cst.FunctionDef, Scope] = {}
        self.owner: dict[cst.CSTNode, Scope] = {}
        self._stack: list[Scope] = [self.module_scope]

    @property
    def scope(self) -> Scope:
        return self._stack[-1]

    def on_each(self, node: cst.CSTNode) -> None:
        # not the formatting (whitespace, comments, punctuation): no analysis asks whose they are
        self.owner[node] = self._stack[-1]

    # -- scopes --------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.bind(node.name.value, Binding(None, (), node, fixed="static"))
        scope = Scope(node, node.name.value, self.scope)
        self.scopes.append(scope)
        self.functions[node] = scope
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self._add_param(scope, param)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.params.append(star.name.value)
                scope.bind(star.name.value, Binding(None, (), star, fixed="unknown"))
        self._stack.append(scope)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.bind(node.name.value, Binding(None, (), node, fixed="static"))

    def _add_param(self, scope: Scope, param: cst.Param) -> None:
        name = param.name.value
        scope.params.append(name)
        annotation = _annotation_text(param.annotation)
        if annotation:
            if any(word in annotation for word in _ARRAY_ANNOTATIONS):
                scope.note(name, Evidence(ANNOTATED_ARRAY, f"annotated `{annotation}`", param))
            elif annotation.split("[")[0].split(".")[-1] in _STATIC_ANNOTATIONS:
                scope.note(name, Evidence(ANNOTATED_STATIC, f"annotated `{annotation}`", param))
        default = param.default
        if isinstance(default, (cst.SimpleString, cst.ConcatenatedString)) or (
            isinstance(default, cst.Name) and default.value in ("True", "False")
        ):
            text = cst.Module([]).code_for_node(default)
            scope.note(name, Evidence(DEFAULT_STATIC, f"defaults to {text}", param))

    # -- bindings ------------------------------------------------------------------------------

    def _bind_target(self, target: cst.BaseExpression, source: cst.CSTNode, path: tuple, node) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Binding(source, path, node))
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for index, element in enumerate(target.elements):
                step = ITER if starred else index
                if isinstance(element, cst.StarredElement):
                    self._bind_target(element.value, source, path + (ITER,), node)
                else:
                    self._bind_target(element.value, source, path + (step,), node)
        # attributes (self.x = ...) and subscripts (x[i] = ...) bind no name

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value, (), node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value, (), node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.scope.bind(node.target.value, Binding(node.value, (), node, augmented=True))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value, (), node)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, node.iter, (ITER,), node)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target, node.iter, (ITER,), node)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_unknown(node.asname.name, node)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_unknown(node.name.name, node)

    def _bind_unknown(self, target: cst.BaseExpression, node: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Binding(None, (), node, fixed="unknown"))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = alias.evaluated_alias or alias.evaluated_name.split(".")[0]
            self.scope.bind(name, Binding(None, (), node, fixed="static"))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            self.scope.bind(alias.evaluated_alias or alias.evaluated_name, Binding(None, (), node, fixed="static"))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.scope.returns.append(node.value)

    # -- evidence of use -----------------------------------------------------------------------

    def _static_use(self, expr: cst.CSTNode, text: str, integral: bool = False) -> None:
        for name in static_position_names(expr):
            self.scope.note(name.value, Evidence(HARD_STATIC, text.format(name=name.value), expr, integral))

    def _array_use(self, expr: cst.CSTNode, text: str) -> None:
        if isinstance(expr, cst.Name):
            self.scope.note(expr.value, Evidence(USED_AS_ARRAY, text.format(name=expr.value), expr))

    def visit_Call(self, node: cst.Call) -> None:
        self.scope.calls.append(node)
        qualified = self.names.qualified_name(node.func)
        reason = host_reason(qualified)
        if reason is not None:
            self.scope.host_calls.append((node, qualified, reason))
        if qualified == "builtins.range":
            for arg in node.args:
                self._static_use(arg.value, "used as a bound of range()", integral=True)
            return
        member = array_api_member(qualified)
        if member is not None:
            self._numpy_call_evidence(node, member)
        elif isinstance(node.func, cst.Attribute) and qualified is None:
            self._method_call_evidence(node)

    def _numpy_call_evidence(self, node: cst.Call, member: str) -> None:
        positions, keywords, varargs_static = static_parameters(member)
        names_by_position = parameter_names(member)
        label = _call_name(node)
        position = 0
        for arg in node.args:
            if arg.keyword is not None:
                if arg.keyword.value in keywords:
                    integral = arg.keyword.value in INTEGRAL_PARAMETERS
                    self._static_use(arg.value, f"passed as `{arg.keyword.value}=` of {label}()", integral)
                continue
            if arg.star:
                continue
            if varargs_static or position in positions:
                integral = varargs_static or names_by_position.get(position) in INTEGRAL_PARAMETERS
                self._static_use(arg.value, f"passed as a shape/axis argument of {label}()", integral)
            else:
                for name in data_position_names(arg.value):
                    self._array_use(name, f"passed as data to {label}()")
            position += 1

    def _method_call_evidence(self, node: cst.Call) -> None:
        method = node.func.attr.value
        base = node.func.value
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if method in STATIC_POSITIONAL_METHODS:
            self._array_use(base, f"has its .{method}() method called")
            for arg in positional:
                self._static_use(arg.value, f"passed to .{method}()", integral=method != "astype")
        elif method in AXIS_FIRST_METHODS:
            self._array_use(base, f"has its .{method}() method called")
            if positional:
                self._static_use(positional[0].value, f"passed as the axis of .{method}()")
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("axis", "keepdims", "dtype", "shape"):
                self._static_use(arg.value, f"passed as `{arg.keyword.value}=` of .{method}()")

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._array_use(node.value, "is indexed")
        for element in node.slice:
            index = element.slice
            if isinstance(index, cst.Slice):
                for bound in (index.lower, index.upper, index.step):
                    if bound is not None:
                        self._static_use(bound, "used as a slice bound", integral=True)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("shape", "ndim", "dtype", "T", "size") and isinstance(node.value, cst.Name):
            if self.names.qualified_name(node.value) is None:
                self._array_use(node.value, f"has its .{node.attr.value} read")

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        for own, partner in ((node.left, node.right), (node.right, node.left)):
            if isinstance(own, cst.Name):
                self.scope.partners.append((own.value, partner))

    def visit_If(self, node: cst.If) -> None:
        self._test_use(node.test, "tested by `if`")

    def visit_While(self, node: cst.While) -> None:
        self._test_use(node.test, "tested by `while`")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._test_use(node.test, "tested by a conditional expression")

    def _test_use(self, test: cst.BaseExpression, text: str) -> None:
        """A Python `if` on a plain value needs it concrete; a test on an array is a JX4 matter."""
        for name in _tested_names(test):
            self.scope.note(name.value, Evidence(SOFT_STATIC, text, test))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left, *(target.comparator for target in node.comparisons)]
        if any(isinstance(o, (cst.SimpleString, cst.ConcatenatedString)) for o in operands):
            for operand in operands:
                if isinstance(operand, cst.Name):
                    self.scope.note(operand.value, Evidence(HARD_STATIC, "compared with a string", node))


def _tested_names(test: cst.BaseExpression) -> list[cst.Name]:
    """Names an `if` test reads as plain values (``n > 0``, ``flag``, ``not done and k < m``)."""
    if isinstance(test, cst.Name):
        return [test]
    if isinstance(test, cst.UnaryOperation):
        return _tested_names(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _tested_names(test.left) + _tested_names(test.right)
    if isinstance(test, cst.Comparison):
        if all(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in test.comparisons):
            return []  # `x is None` is fine on a traced value
        operands = [test.left, *(c.comparator for c in test.comparisons)]
        return [name for operand in operands for name in static_position_names(operand)]
    return []

"""The number of dimensions of an array name inside one function, where the function's own text
proves it: every binding of the name is a creation with a literal shape (``np.zeros((h, w))``,
``np.empty(n)`` with ``n`` an integer), a copy of an array of known rank (``x.copy()``,
``np.zeros_like(x)``, ``jnp.asarray(x)``), or an update of the name itself (``T = T.at[i].set(v)``);
a parameter's rank is known from an unpacking of its shape (``h, w = image.shape``), and a
parameter passed to ``range`` is an integer (``np.zeros(n)`` is then one-dimensional), and so is
the target of ``for i in range(...)``.

Used where a rewrite is exact only for one rank (slice arithmetic writes whole elements, see
``codemods/loop_stencils.py``; an element ``x[i]`` is a copy, see ``elements.py``). Anything else is
unknown (None): the caller must not guess (``elements.py`` states its assumption apart, as one).
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.tree import TreeIndex, visit

Resolve = Callable[[cst.CSTNode], "str | None"]

CREATIONS = frozenset({"zeros", "ones", "empty", "full"})  # first argument: the shape
COPIES = frozenset({"zeros_like", "ones_like", "empty_like", "full_like", "copy", "array", "asarray"})
NAMESPACES = ("numpy.", "jax.numpy.")
PARAMETER = cst.Name("parameter")  # a parameter's own binding: its rank comes from `h, w = x.shape`
SHAPE_ITEM = cst.Integer("0")  # the value bound to each name of `h, w = x.shape`: an integer
RANGE_ITEM = cst.Ellipsis()  # the binding of `i` in `for i in range(...)`: an integer (maybe negative), no rank


class FunctionRanks:
    """Ranks of the names of one function (see the module docstring)."""

    def __init__(self, function: cst.FunctionDef, resolve: Resolve, tree: TreeIndex | None = None):
        self.resolve = resolve
        self.bindings: dict[str, list[cst.BaseExpression | None]] = {}  # None: a binding we cannot read
        self.shape_unpacks: dict[str, int] = {}  # `h, w = x.shape` -> x: 2
        self.range_arguments: set[str] = set()  # names passed to `range(...)`: Python ints
        for parameter in function.params.params:
            self.bindings.setdefault(parameter.name.value, []).append(PARAMETER)
        visit(tree, function.body, _Bindings(self))

    def rank(self, name: str, seen: frozenset[str] = frozenset()) -> int | None:
        if name in seen or name not in self.bindings:
            return None
        ranks = set()
        for value in self.bindings[name]:
            if value is None:
                return None
            if value is PARAMETER:
                ranks.add(self.shape_unpacks.get(name))
            elif not (updates_itself(value, name) or self._converts(value, name)):
                ranks.add(self._rank_of(value, seen | {name}))
        return ranks.pop() if len(ranks) == 1 and None not in ranks else None

    def _converts(self, value: cst.BaseExpression, name: str) -> bool:
        """``jnp.asarray(name)`` and other copies of the name itself: same rank."""
        if not (isinstance(value, cst.Call) and value.args and m.matches(value.args[0].value, m.Name(name))):
            return False
        qualified = self.resolve(value.func) or ""
        return any(qualified == prefix + copy for prefix in NAMESPACES for copy in COPIES)

    def _rank_of(self, value: cst.BaseExpression, seen: frozenset[str]) -> int | None:
        if isinstance(value, cst.Name):
            return self.rank(value.value, seen)
        if m.matches(value, m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("copy")), args=[])):
            return self.rank(value.func.value.value, seen)
        if not isinstance(value, cst.Call) or not value.args or value.args[0].keyword or value.args[0].star:
            return None
        qualified = self.resolve(value.func) or ""
        function = next((qualified[len(prefix):] for prefix in NAMESPACES if qualified.startswith(prefix)), None)
        first = value.args[0].value
        if function in COPIES and isinstance(first, cst.Name):
            return self.rank(first.value, seen)
        if function in CREATIONS:
            if isinstance(first, (cst.Tuple, cst.List)) and all(isinstance(e, cst.Element) for e in first.elements):
                return len(first.elements)
            return 1 if self._is_int(first, seen) else None
        return None

    def is_size(self, node: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
        """A length, never negative: a literal, ``len(x)``, ``x.shape[k]``, a sum or product of
        those, or a name bound only to those (``h, w = x.shape``)."""
        if isinstance(node, cst.Integer):
            return node.evaluated_value >= 0
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Multiply)):
            return self.is_size(node.left, seen) and self.is_size(node.right, seen)
        if m.matches(node, m.Call(func=m.Name("len"))) and self.resolve(node.func) == "builtins.len":
            return True
        if m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("shape")), slice=[m.SubscriptElement(m.Index(m.Integer()))])):
            return True
        if isinstance(node, cst.Name) and node.value not in seen:
            values = self.bindings.get(node.value)
            return bool(values) and all(v is not None and v is not PARAMETER and self.is_size(v, seen | {node.value})
                                        for v in values)
        return False

    def bound_once(self, name: str) -> bool:
        """Whether ``name`` is one array throughout the function, whatever its rank: it has one
        binding (a parameter's own counts), apart from copies, conversions and ``.at`` updates of itself."""
        others = [value for value in self.bindings.get(name, []) if value is PARAMETER or not (
            value is not None and (updates_itself(value, name) or self._converts(value, name) or copies_itself(value, name)))]
        return len(others) == 1 and others[0] is not None

    def is_int(self, node: cst.BaseExpression) -> bool:
        """A Python integer (see ``_is_int``): an index that picks one position along an axis."""
        return self._is_int(node, frozenset())

    def _is_int(self, node: cst.BaseExpression, seen: frozenset[str]) -> bool:
        """An integer: a literal, ``len(x)``, ``x.shape[k]``, a ``range`` loop's target, a name bound
        only to those, or ``+ - * //`` and signs of them."""
        if node is RANGE_ITEM or isinstance(node, cst.Integer):
            return True
        if m.matches(node, m.Call(func=m.Name("len"))) and self.resolve(node.func) == "builtins.len":
            return True
        if m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("shape")), slice=[m.SubscriptElement(m.Index(m.Integer()))])):
            return True
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)):
            return self._is_int(node.left, seen) and self._is_int(node.right, seen)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return self._is_int(node.expression, seen)
        if isinstance(node, cst.Name) and node.value not in seen:
            values = self.bindings.get(node.value)
            if values == [PARAMETER]:
                return node.value in self.range_arguments
            return bool(values) and all(v is not None and self._is_int(v, seen | {node.value}) for v in values)
        return False


def copies_itself(value: cst.BaseExpression, name: str) -> bool:
    """``name.copy()``: same rank."""
    return m.matches(value, m.Call(func=m.Attribute(value=m.Name(name), attr=m.Name("copy")), args=[]))


def updates_itself(value: cst.BaseExpression, name: str) -> bool:
    """``name.at[...].set(...)`` (any ``.at`` method): same array, same rank."""
    return m.matches(value, m.Call(func=m.Attribute(value=m.Subscript(value=m.Attribute(value=m.Name(name), attr=m.Name("at"))))))


class _Bindings(cst.CSTVisitor):
    """Every binding of every name in a function body (nested functions are their own scope)."""

    def __init__(self, ranks: FunctionRanks):
        self.ranks = ranks

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if self.ranks.resolve(node.func) == "builtins.range":
            self.ranks.range_arguments.update(arg.value.value for arg in node.args if isinstance(arg.value, cst.Name))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        counts = m.matches(node.iter, m.Call(func=m.Name())) and self.ranks.resolve(node.iter.func) == "builtins.range"
        self._bind(node.target, RANGE_ITEM if counts and isinstance(node.target, cst.Name) else None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, None)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.ranks.bindings.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            unpacked = all(isinstance(element, cst.Element) for element in target.elements)
            if unpacked and m.matches(value, m.Attribute(value=m.Name(), attr=m.Name("shape"))):
                self.ranks.shape_unpacks[value.value.value] = len(target.elements)
                item: cst.BaseExpression | None = SHAPE_ITEM
            else:
                item = None
            for element in target.elements:
                self._bind(element.value, item if isinstance(element, cst.Element) else None)

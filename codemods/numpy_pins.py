"""Which values of a function must stay NumPy arrays, for the NumPy-namespace planner
(:mod:`jaxify.codemods.numpy_plan`): every value that may reach an array written in place (a jax
array cannot be written), be used in a way only NumPy arrays support, or feed a NumPy call that
stays NumPy, followed through aliases, views, containers, loop sources and the module's own
helpers, to a fixpoint over the module.
"""

from __future__ import annotations

import libcst as cst
import numpy

from jaxify.analysis import FunctionInfo, Kind
from jaxify.analysis.numpy_api import STATIC_ATTRIBUTES, numpy_function
from jaxify.analysis.names import is_numpy
from jaxify.codemods.numpy_support import ATTRIBUTES_MISSING_ON_JAX_ARRAYS, IN_PLACE_FUNCTIONS, IN_PLACE_METHODS

# Builtins whose result can be one of their arguments (max(a, b)) or a container of them.
_VALUE_BUILTINS = frozenset(f"builtins.{name}" for name in ("list", "tuple", "sorted", "reversed", "min", "max", "abs"))
# reading or calling one of these on an array needs a NumPy array
_NUMPY_ONLY_ATTRIBUTES = ATTRIBUTES_MISSING_ON_JAX_ARRAYS | IN_PLACE_METHODS


def root_name(expr: cst.CSTNode) -> str | None:
    """``x`` for ``x``, ``x[i][j]``, ``x.real[...]``, ``x.T``: the name whose buffer is reached."""
    while isinstance(expr, (cst.Subscript, cst.Attribute)):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


class NumpyPins:
    """The pinning half of the planner. It reads, from the class that uses it: ``analysis``,
    ``bodies`` (every node of each function's own body), ``guarded`` (nodes under a `try` that
    catches IndexError), ``declined`` and ``previous_statement``, and the methods ``kind``,
    ``numpy_member``, ``_data_args`` and ``_stays_numpy``."""

    def _roots(self, info: FunctionInfo) -> set[str]:
        """Names whose array is written in place, or used in a way only NumPy arrays support: the
        function's own (found once) and what it passes to a module helper whose parameter is kept
        (which grows with the module's fixpoint)."""
        if id(info) not in self._own_roots:
            self._own_roots[id(info)] = self._roots_in_body(info)
        roots, helper_calls = self._own_roots[id(info)]
        roots = set(roots)
        for call, callee in helper_calls:
            for param, value in self._bound_arguments(callee.params, call):
                if param in self.kept_names.get(id(callee), ()):
                    roots |= self.value_flow(value)[0]
        roots.discard(None)
        return roots

    def _roots_in_body(self, info: FunctionInfo) -> tuple[set[str], list[tuple[cst.Call, object]]]:
        """The roots of ``info``'s own statements, and its calls of module helpers."""
        roots: set[str] = set()
        helper_calls = []
        for node in self.bodies[id(info)]:
            kind = type(node)  # LibCST's node classes have no subclasses: `is` decides, and costs far less than isinstance
            if kind is cst.AssignTarget:
                if type(node.target) is cst.Subscript:
                    roots.add(root_name(node.target))
            elif kind is cst.AugAssign:
                if isinstance(node.target, (cst.Subscript, cst.Attribute)):
                    roots.add(root_name(node.target))
                elif isinstance(node.target, cst.Name) and self.kind(node.target) is Kind.ARRAY:
                    roots.add(node.target.value)  # NumPy's `x += v` writes x's buffer
            elif kind is cst.Attribute:
                if node.attr.value in _NUMPY_ONLY_ATTRIBUTES and (
                    self.analysis.qualified_name(node) is None
                ):
                    roots.add(root_name(node.value))
            elif kind is cst.Call:
                roots |= self._roots_of_call(node)
                callee = self.analysis.values.local_function(node)
                if callee is not None:
                    helper_calls.append((node, callee))
            elif kind is cst.Assign:
                roots |= self._rewrapped_names(node)
                if any(isinstance(t.target, cst.Attribute) and t.target.attr.value in self.mutated_attributes
                       for t in node.targets):
                    roots |= self.value_flow(node.value)[0]
            elif kind is cst.Subscript and id(node) in self.guarded:
                roots.add(root_name(node.value))  # NumPy raises IndexError here; jax would clamp
        return roots, helper_calls

    def _attributes_written_in_place(self) -> set[str]:
        """Attribute names written in place anywhere in the module (``self.buf[i] = v``,
        ``self.total += v``): what any function stores there must stay a NumPy array."""
        found: set[str] = set()
        for nodes in self.bodies.values():
            for node in nodes:
                target = None
                kind = type(node)
                if kind is cst.AssignTarget and type(node.target) is cst.Subscript:
                    target = node.target
                elif kind is cst.AugAssign:
                    target = node.target
                elif kind is cst.Call and type(node.func) is cst.Attribute and (
                    node.func.attr.value in IN_PLACE_METHODS
                ):
                    target = node.func.value
                while type(target) is cst.Subscript:
                    target = target.value
                if type(target) is cst.Attribute:
                    found.add(target.attr.value)
        return found

    def _stored_in_mutated_attributes(self, info: FunctionInfo) -> list[cst.CSTNode]:
        """Values this function stores in an attribute that some code writes in place."""
        return [
            node.value
            for node in self.bodies[id(info)]
            if type(node) is cst.Assign and any(
                isinstance(t.target, cst.Attribute) and t.target.attr.value in self.mutated_attributes
                for t in node.targets
            )
        ]

    def _rewrapped_names(self, node: cst.Assign) -> set[str]:
        """``x = jnp.asarray(x)``: the in-place codemod's mark that ``x`` may still be a NumPy
        array here. Keeping such names on NumPy makes the whole pipeline idempotent: the write
        JX1 rewrote kept what feeds it on NumPy in the first run, and it does in the second."""
        value = node.value
        if not (isinstance(value, cst.Call) and len(value.args) == 1 and isinstance(value.args[0].value, cst.Name)):
            return set()
        if self.analysis.qualified_name(value.func) != "jax.numpy.asarray":
            return set()
        name = value.args[0].value.value
        targets = {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
        if name not in targets or self._creates_just_before(node, name):
            return set()
        return {name}

    def _creates_just_before(self, rewrap: cst.Assign, name: str) -> bool:
        """``y = np.empty_like(x)`` before ``y = jnp.asarray(y)``, with no statement in between
        that mentions ``y``: nothing sees the NumPy array, so its creation may move to jax.numpy (a later pass of the pipeline
        does it) and the function stays traceable when ``x`` is traced."""
        previous = self.previous_statement.get(id(rewrap))
        while previous is not None:
            if (
                isinstance(previous, cst.Assign)
                and len(previous.targets) == 1
                and isinstance(previous.targets[0].target, cst.Name)
                and previous.targets[0].target.value == name
            ):
                return isinstance(previous.value, cst.Call) and self.numpy_member(previous.value.func) is not None
            if self._sees_values(previous, name):
                return False  # something between creation and conversion sees the NumPy array
            previous = self.previous_statement.get(id(previous))
        return False

    def _sees_values(self, statement: cst.CSTNode, name: str) -> bool:
        """Whether ``statement`` reads ``name`` other than through its shape, size or dtype (which a
        jax array created the same way shares: ``n = y.shape[0]`` between creation and conversion)."""
        nodes = list(self.analysis.tree.walk(statement))
        mentions = sum(isinstance(node, cst.Name) and node.value == name for node in nodes)
        static = sum(isinstance(node, cst.Attribute) and node.attr.value in STATIC_ATTRIBUTES
                     and isinstance(node.value, cst.Name) and node.value.value == name for node in nodes)
        return mentions > static

    def _previous_statements(self) -> dict[int, cst.CSTNode]:
        """For each one-statement line, the one-statement line just before it in its block."""
        previous: dict[int, cst.CSTNode] = {}
        for nodes in self.bodies.values():
            for block in nodes:
                if type(block) is not cst.IndentedBlock:
                    continue
                for before, after in zip(block.body, block.body[1:]):
                    if all(isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 for s in (before, after)):
                        previous[id(after.body[0])] = before.body[0]
        return previous

    def _roots_of_call(self, call: cst.Call) -> set[str]:
        roots: set[str | None] = set()
        qualified = self.analysis.qualified_name(call.func)
        member = self.numpy_member(call.func)
        positional = [arg.value for arg in call.args if arg.keyword is None]
        if member is not None and self._stays_numpy(member, call):
            for arg in self._data_args(member, call):
                roots |= self.value_flow(arg.value)[0]
        if member is not None:
            writes_first = member in IN_PLACE_FUNCTIONS or member.endswith(".at")
            if writes_first and positional:
                roots.add(root_name(positional[0]))
            ufunc = numpy_function(member)
            if isinstance(ufunc, numpy.ufunc):
                roots |= {root_name(value) for value in positional[ufunc.nin:]}
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "out":
                roots.add(root_name(arg.value))
        if qualified in ("builtins.isinstance", "builtins.type", "builtins.id") and positional:
            roots.add(root_name(positional[0]))  # isinstance(x, np.ndarray) must stay true
        return roots

    @staticmethod
    def _bound_arguments(params, call: cst.Call):
        for index, arg in enumerate(call.args):
            if arg.star:
                return
            if arg.keyword is None and index < len(params):
                yield params[index], arg.value
            elif arg.keyword is not None:
                yield arg.keyword.value, arg.value

    def _names_kept_on_numpy(self, earlier: NumpyPins | None = None) -> tuple[dict[int, set[str]], set[int]]:
        """Per function scope, every name whose value may reach an in-place write; to a fixpoint over
        the module, since a helper that writes its parameter pins what callers pass it, and a
        caller that writes a helper's result pins what the helper returns. ``earlier``: the pins of
        the same module with fewer calls declined, where the work starts (each of its names is
        kept here too: a declined call only adds roots)."""
        kept: dict[int, set[str]] = {id(info.scope): set(earlier.kept_names[id(info.scope)]) if earlier else set()
                                     for info in self.analysis.functions}
        kept_returns: set[int] = set(earlier.kept_returns) if earlier else set()
        self.kept_names = kept
        # A function's names follow from its own body, the names its helpers keep and whether its
        # result is kept: it is worked out again only when one of those changed (sets only grow,
        # so the order of the work does not change where it ends).
        readers: dict[int, set[int]] = {}  # id(helper's scope) -> the scopes whose roots read its names
        pending = set(kept)
        while pending:
            for info in self.analysis.functions:
                scope = id(info.scope)
                if scope not in pending:
                    continue
                pending.discard(scope)
                names = kept[scope] | self._roots(info)
                for _, helper in self._own_roots[id(info)][1]:
                    readers.setdefault(id(helper), set()).add(scope)
                if scope in kept_returns:
                    for value in info.scope.returns:
                        names |= self.value_flow(value)[0]
                names |= self._closure(info, names)
                for source in self._kept_values(info, names):
                    for call in self.value_flow(source)[1]:
                        callee = self.analysis.values.local_function(call)
                        if callee is not None and id(callee) not in kept_returns:
                            kept_returns.add(id(callee))
                            if id(callee) in kept:
                                pending.add(id(callee))
                if names != kept[scope]:
                    kept[scope] = names
                    pending |= readers.get(scope, set())
        return kept, kept_returns

    def value_flow(self, expr: cst.CSTNode) -> tuple[frozenset[str], tuple[cst.Call, ...]]:
        """The names and calls whose values can become (part of) the value of ``expr``, or decide
        whether it is a NumPy or a JAX array: through arithmetic, containers, indexing, views,
        methods, and the data arguments of NumPy calls (given a jax array, `np.sum`, `np.cumsum`,
        `np.transpose` and others hand the work to its methods and return a jax array). Static
        reads (``x.shape``, ``len(x)``) and subscript indices do not count. Computed once per
        expression: the pinning asks again on every round of its fixpoint."""
        known = self._flows.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]
        names: set[str] = set()
        calls: list[cst.Call] = []
        pending = [expr]
        while pending:
            node = pending.pop()
            if isinstance(node, cst.Name):
                names.add(node.value)
            elif isinstance(node, cst.Attribute):
                if node.attr.value not in STATIC_ATTRIBUTES and self.analysis.qualified_name(node) is None:
                    pending.append(node.value)
            elif isinstance(node, (cst.Subscript, cst.Arg)):
                pending.append(node.value)
            elif isinstance(node, cst.Call):
                pending.extend(reversed(self._flows_into_call(node, calls)))
            elif not isinstance(node, (cst.Lambda, cst.BaseString, cst.Integer, cst.Float, cst.Imaginary)):
                pending.extend(reversed(self.analysis.tree.children(node)))
        flow = (frozenset(names), tuple(calls))
        self._flows[id(expr)] = (expr, flow)
        return flow

    def _flows_into_call(self, call: cst.Call, calls: list[cst.Call]) -> list[cst.CSTNode]:
        """For ``value_flow``: note ``call`` in ``calls`` when it decides the kind of the value (a
        NumPy call, a module helper); the parts of it whose values flow into its result."""
        qualified = self.analysis.qualified_name(call.func)
        if is_numpy(qualified) or self.analysis.values.local_function(call) is not None:
            calls.append(call)
        member = self.numpy_member(call.func)
        if member is not None:
            return list(self._data_args(member, call))
        if self.analysis.values.local_function(call) is not None or qualified in _VALUE_BUILTINS:
            return list(call.args)  # a helper may return what it was given
        if qualified is None and isinstance(call.func, cst.Attribute):
            return [call.func.value]  # x.copy(), x.reshape(...): the method's receiver
        return []

    def _kept_values(self, info: FunctionInfo, names: set[str]) -> list[cst.CSTNode]:
        """The expressions bound to kept names, and the operands of ``x += v`` where ``x`` may be
        an array: ``v`` is not bound to ``x``, but NumPy writes ``x`` in place only while ``v`` is
        a NumPy value (given a jax array, ``x += v`` rebinds ``x`` to a new jax array, and x's
        aliases miss the write)."""
        return [
            binding.source
            for name in names
            for binding in info.scope.bindings.get(name, [])
            if binding.source is not None
            and (not binding.augmented or self.analysis.writes_array_in_place(binding.node))
        ]

    def _closure(self, info: FunctionInfo, names: set[str]) -> set[str]:
        """Add every name whose value flows into a kept name (aliases, views, loop sources)."""
        result = set(names)
        pending = list(names)
        while pending:
            for source in self._kept_values(info, {pending.pop()}):
                for other in self.value_flow(source)[0] - result:
                    result.add(other)
                    pending.append(other)
        return result

    def pinned_calls(self, info: FunctionInfo) -> set[int]:
        """Calls whose result may be written in place: they stay NumPy (the in-place codemod,
        JX1, decides about the write, and wraps what it rewrites in ``jnp.asarray``). Also the
        calls feeding a NumPy call that stays NumPy: given a jax array, NumPy functions such as
        ``np.searchsorted`` hand the work to the jax array's own method, with jax's result."""
        sources = self._kept_values(info, self.kept_names[id(info.scope)])
        if id(info.scope) in self.kept_returns:
            sources += info.scope.returns
        sources += self._stored_in_mutated_attributes(info)
        for node in self.bodies[id(info)]:
            member = self.numpy_member(node.func) if type(node) is cst.Call else None
            if member is not None and self._stays_numpy(member, node):
                sources += [arg.value for arg in self._data_args(member, node)]
        return {id(call) for source in sources for call in self.value_flow(source)[1]}

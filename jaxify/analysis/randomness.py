"""Where a module draws random numbers, and which functions need a key to do it.

Facts only, no decisions: every ``numpy.random`` call (recognised by qualified name, so every
import form counts), every ``RandomState`` / ``Generator`` object held in a variable (a *stream*)
with every use of that variable, the module's functions with their draws from the global
``np.random`` state, their calls to one another and the places that name them without calling
them, and for each call the statement before which a key could be split (or the reason none
can be: a draw inside a comprehension, a lambda, a ``while`` test, a default value).

``functions_drawing`` is the fixpoint over the module's call graph: a function draws if it draws
directly or calls a function that draws and does not seed itself.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper

from jaxify.analysis.providers import ParentProvider, Scopes, kept_tree
from jaxify.analysis.tree import visit

QualifiedName = Callable[[cst.CSTNode], "str | None"]

GLOBAL_PREFIX = "numpy.random."
CONSTRUCTORS = {"numpy.random.RandomState": "legacy", "numpy.random.default_rng": "generator"}
HOST_OUTPUT_CALLS = frozenset(
    {"numpy.savetxt", "numpy.save", "numpy.savez", "numpy.savez_compressed", "builtins.print", "json.dump",
     "json.dumps", "pickle.dump"}
)
HOST_OUTPUT_METHODS = frozenset({"write", "writelines", "writerow", "writerows", "tofile", "to_csv"})
PINNED_COMMENT = re.compile(r"\b(pinned|golden|regression|bit[- ]for[- ]bit|exact (numbers|values|stream))\b", re.I)
GENERATOR_PARAM = re.compile(r"(^|_)(rng|prng|random_state|rs|gen|generator)$")
_EMPTY = cst.Module(body=[])
_STRING_TYPES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


@dataclasses.dataclass(eq=False)
class Placement:
    """Where a call sits: the statement a key split goes before, or why there is none."""

    statement: cst.CSTNode | None  # a SimpleStatementLine or a compound statement in a block
    function: cst.FunctionDef | None  # None at module level
    problem: str = ""


@dataclasses.dataclass(eq=False)
class Stream:
    """A ``RandomState`` / ``Generator`` object bound once to a variable (``rng`` or ``self.rng``)."""

    name: str
    api: str  # "legacy" (RandomState) or "generator"
    creation: cst.Call
    owner: cst.CSTNode  # the FunctionDef, ClassDef or Module the variable lives in
    seed: cst.BaseExpression | None
    draws: list["Draw"] = dataclasses.field(default_factory=list)
    problem: str = ""
    public: bool = False  # an attribute code outside the class may read


@dataclasses.dataclass(eq=False)
class Draw:
    """One call of a random function: ``np.random.normal(...)`` or ``rng.normal(...)``."""

    call: cst.Call
    api: str  # "legacy" or "generator"
    name: str  # the NumPy function or method name
    stream: Stream | None  # None: numpy's global state
    place: Placement
    host: str = ""  # why the values serve host-side code, if they do


@dataclasses.dataclass(eq=False)
class CallSite:
    call: cst.Call
    callee: cst.FunctionDef
    place: Placement


@dataclasses.dataclass(eq=False)
class RandomFunction:
    node: cst.FunctionDef
    name: str
    public: bool
    draws: list[Draw] = dataclasses.field(default_factory=list)  # global-state draws in its own body
    calls: list[CallSite] = dataclasses.field(default_factory=list)
    callers: list[CallSite] = dataclasses.field(default_factory=list)
    value_uses: list[cst.CSTNode] = dataclasses.field(default_factory=list)  # named, not called
    names: set[str] = dataclasses.field(default_factory=set)  # every name used inside it


@dataclasses.dataclass
class RandomFacts:
    global_draws: list[Draw]  # every numpy.random.* call, seeds and state access included
    streams: list[Stream]
    functions: dict[cst.FunctionDef, RandomFunction]
    module_names: set[str]
    stdlib_into_arrays: list[cst.Call]  # stdlib random calls inside a NumPy/JAX call
    parameter_generators: list[tuple[cst.Call, str]]  # (call, method) on a generator passed in
    pinned_comments: dict[cst.Call, str]  # seed / creation call -> the comment saying it is pinned

    def functions_drawing(self, draws: Iterable[Draw], seeded: set[cst.FunctionDef],
                          candidates: set[cst.FunctionDef]) -> set[cst.FunctionDef]:
        """The call-graph fixpoint: functions in ``candidates`` that draw from the global state,
        directly (one of ``draws``) or by calling a candidate that draws and does not seed itself."""
        drawing = {d.place.function for d in draws if d.place.function in candidates}
        changed = True
        while changed:
            changed = False
            for node in candidates - drawing:
                if any(site.callee in drawing and site.callee not in seeded
                       for site in self.functions[node].calls):
                    drawing.add(node)
                    changed = True
        return drawing


def random_facts(wrapper: MetadataWrapper, qualified_name: QualifiedName) -> RandomFacts:
    collector = _Collector(wrapper, qualified_name)
    visit(kept_tree(wrapper), wrapper.module, collector)
    return collector.finish()


class _Collector(cst.CSTVisitor):
    def __init__(self, wrapper: MetadataWrapper, qualified_name: QualifiedName):
        super().__init__()
        self.module = wrapper.module
        self.parents = wrapper.resolve(ParentProvider)
        self.scopes = wrapper.resolve(Scopes)
        self.qualified_name = qualified_name
        self.functions: dict[cst.FunctionDef, RandomFunction] = {}
        self.global_draws: list[Draw] = []
        self.streams: list[Stream] = []
        self.method_calls: list[tuple[cst.Call, str, cst.Attribute]] = []  # (call, method, func)
        self.names_by_function: dict[cst.FunctionDef | None, set[str]] = {None: set()}
        self.stdlib_into_arrays: list[cst.Call] = []
        self.pinned: dict[cst.Call, str] = {}
        self.function_stack: list[cst.FunctionDef | None] = [None]

    # -- the walk ------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions[node] = RandomFunction(node, node.name.value, public=self._is_public(node))
        self.names_by_function[self.function_stack[-1]].add(node.name.value)
        self.function_stack.append(node)
        self.names_by_function[node] = set()

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_stack.pop()

    def visit_Name(self, node: cst.Name) -> None:
        self.names_by_function[self.function_stack[-1]].add(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified in CONSTRUCTORS:
            self._stream_created(node, CONSTRUCTORS[qualified])
        elif qualified and qualified.startswith(GLOBAL_PREFIX) and "." not in qualified[len(GLOBAL_PREFIX):]:
            name = qualified[len(GLOBAL_PREFIX):]
            self.global_draws.append(Draw(node, "legacy", name, None, self.placement(node), self._host(node, name)))
            if name == "seed":
                self._note_pinned(node)
        elif qualified and qualified.startswith("random.") and self._inside_array_call(node):
            self.stdlib_into_arrays.append(node)
        elif isinstance(node.func, cst.Attribute):
            self.method_calls.append((node, node.func.attr.value, node.func))

    # -- building the facts --------------------------------------------------------------------

    def finish(self) -> RandomFacts:
        for function in self.functions.values():
            function.names = self.names_by_function.get(function.node, set())
        for function in self.functions.values():  # a nested function's names are its parents' too:
            outer = self._function_of(function.node)  # a new local there would capture them
            while outer is not None:
                self.functions[outer].names |= function.names
                outer = self._function_of(outer)
        for draw in self.global_draws:
            if draw.place.function is not None:
                self.functions[draw.place.function].draws.append(draw)
        self._link_calls()
        for stream in self.streams:
            self._collect_stream_uses(stream)
        return RandomFacts(
            self.global_draws, self.streams, self.functions, self.names_by_function[None],
            self.stdlib_into_arrays, self._parameter_generators(), self.pinned,
        )

    def _parameter_generators(self) -> list[tuple[cst.Call, str]]:
        """Method calls on a parameter that names or annotates a NumPy generator (``rng``)."""
        found = []
        for call, method, func in self.method_calls:
            if not isinstance(func.value, cst.Name):
                continue
            scope = self.scopes.get(call)
            assignments = list(scope[func.value.value]) if scope is not None else []
            params = [a.node for a in assignments if isinstance(getattr(a, "node", None), cst.Param)]
            if len(assignments) == 1 and params and _looks_like_generator(params[0]):
                found.append((call, method))
        return found

    def _link_calls(self) -> None:
        """Calls between the module's functions, resolved through scopes (so shadowing counts)."""
        for function in self.functions.values():
            defining_scope = self.scopes.get(function.node)
            if defining_scope is None:
                continue
            for assignment in defining_scope.assignments[function.name]:
                if getattr(assignment, "node", None) is not function.node:
                    continue
                for access in assignment.references:
                    self._record_use(function, access.node)
            if self._method_class(function.node) is not None:
                self._link_method_uses(function)

    def _record_use(self, function: RandomFunction, node: cst.CSTNode) -> None:
        parent = self.parents.get(node)
        if isinstance(parent, cst.Call) and parent.func is node:
            site = CallSite(parent, function.node, self.placement(parent))
            function.callers.append(site)
            if site.place.function in self.functions:  # module-level call sites live in ``callers`` only
                self.functions[site.place.function].calls.append(site)
        else:
            function.value_uses.append(node)

    def _link_method_uses(self, function: RandomFunction) -> None:
        """``self.method(...)`` inside the class is a call site; ``obj.method(...)`` anywhere else is
        a caller this analysis cannot follow, so it counts as a use it cannot give a key."""
        cls = self._method_class(function.node)
        for call, method, func in self.method_calls:
            if method != function.name:
                continue
            if self._is_self(func.value) and self._class_of(call) is cls:
                self._record_use(function, func)
            else:
                function.value_uses.append(func)

    def _collect_stream_uses(self, stream: Stream) -> None:
        """Every use of the stream's variable: draws through its methods, or a reason it escapes."""
        attribute = stream.name.startswith("self.")
        visitor = _References(stream.name.split(".")[-1], attribute)
        visit(None, stream.owner, visitor)
        if attribute and _attribute_used_outside(self.module, stream):
            stream.problem = f"`.{stream.name[5:]}` is read outside its class (a subclass or another object)"
            return
        for found in visitor.found:
            expr = self.parents.get(found) if attribute else found  # `self.rng` or `rng`
            parent = self.parents.get(expr)
            if self._is_creation_target(expr, stream):
                continue
            user = self._function_of(expr)
            if stream.owner is self.module and user is not None:
                stream.problem = f"`{stream.name}` is a module-level generator used inside `{user.name.value}`"
                return
            if not attribute and stream.owner is not self.module and user is not stream.owner:
                # the split would rebind the name inside the nested function, making it a new local
                where = f"inside the nested function `{user.name.value}`" if user else "in the function's signature"
                stream.problem = f"`{stream.name}` is used {where}"
                return
            call = self.parents.get(parent) if parent is not None else None
            if isinstance(parent, cst.Attribute) and parent.value is expr and isinstance(call, cst.Call) \
                    and call.func is parent:
                method = parent.attr.value
                stream.draws.append(Draw(call, stream.api, method, stream, self.placement(call), self._host(call, method)))
                continue
            context = parent
            while context is not None and not isinstance(context, (cst.Call, cst.BaseSmallStatement, cst.BaseCompoundStatement)):
                context = self.parents.get(context)
            shown = self.module.code_for_node(context or expr).strip().splitlines()[0][:60]
            stream.problem = (
                f"`{stream.name}` is used other than by calling its sampling methods (`{shown}`), "
                "where a key cannot stand in for the generator"
            )
            return

    # -- streams -------------------------------------------------------------------------------

    def _stream_created(self, call: cst.Call, api: str) -> None:
        assign = self.parents.get(call)
        if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1):
            return  # a generator not held in a variable (passed on, chained): nothing to thread
        target = assign.targets[0].target
        seed = next((arg.value for arg in call.args if arg.keyword is None or arg.keyword.value == "seed"), None)
        owner: cst.CSTNode | None
        if isinstance(target, cst.Name):
            name = target.value
            owner = self._function_of(call) or self.module
            public = False
        elif isinstance(target, cst.Attribute) and self._is_self(target.value):
            name = f"self.{target.attr.value}"
            owner = self._class_of(call)
            public = not target.attr.value.startswith("_")
            if owner is None:
                return
        else:
            return
        problem = ""
        if any(s.name == name and s.owner is owner for s in self.streams):
            problem = f"`{name}` is assigned a generator more than once"
            for other in self.streams:
                if other.name == name and other.owner is owner:
                    other.problem = problem
        stream = Stream(name, api, call, owner, seed, problem=problem, public=public)
        self.streams.append(stream)
        self._note_pinned(call)

    def _is_creation_target(self, target: cst.CSTNode, stream: Stream) -> bool:
        parent = self.parents.get(target)
        grand = self.parents.get(parent) if parent is not None else None
        return isinstance(parent, cst.AssignTarget) and isinstance(grand, cst.Assign) and grand.value is stream.creation

    # -- host-side use -------------------------------------------------------------------------

    def _host(self, call: cst.Call, name: str) -> str:
        """Why the draw serves host-side code (Python lists, strings, files), or ""."""
        first = call.args[0].value if call.args and call.args[0].keyword is None else None
        if name in ("shuffle", "choice", "permutation") and first is not None:
            literal = self._literal_of(first, call)
            if isinstance(literal, (cst.List, cst.ListComp, cst.Tuple)) or (
                isinstance(literal, cst.Call) and self.qualified_name(literal.func) in ("builtins.list", "builtins.range")
            ):
                strings = isinstance(literal, (cst.List, cst.Tuple)) and any(
                    isinstance(el.value, _STRING_TYPES) for el in literal.elements
                )
                if name == "shuffle":
                    return "it shuffles a Python list in place (a JAX array would replace the list)"
                if strings:
                    return "it picks among Python strings"
                if not isinstance(first, (cst.List, cst.Tuple)):  # inline number literals become arrays
                    return "it samples a Python list or range, which jax.random does not take"
        written = self._written_to_host(call)
        return f"its values are written out by `{written}`" if written else ""

    def _literal_of(self, node: cst.BaseExpression, at: cst.CSTNode) -> cst.CSTNode | None:
        """The literal a name is bound to, when it is bound exactly once in its scope."""
        if not isinstance(node, cst.Name):
            return node
        scope = self.scopes.get(at)
        if scope is None:
            return None
        assignments = list(scope[node.value])
        if len(assignments) != 1:
            return None
        parent = self.parents.get(getattr(assignments[0], "node", None))
        grand = self.parents.get(parent) if parent is not None else None
        if isinstance(parent, cst.AssignTarget) and isinstance(grand, cst.Assign):
            return grand.value
        return None

    def _written_to_host(self, call: cst.Call) -> str:
        """The output call (file, print, text) the draw's value goes straight into, as an argument
        or through the name it is assigned to; values computed from it further on do not count."""
        output = self._output_taking(call)
        if output is not None:
            return self.module.code_for_node(output.func)
        parent = self.parents.get(call)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            scope = self.scopes.get(call)
            for assignment in scope[parent.targets[0].target.value] if scope is not None else ():
                for access in assignment.references:
                    output = self._output_taking(access.node)
                    if output is not None:
                        return self.module.code_for_node(output.func)
        return ""

    def _output_taking(self, value: cst.CSTNode) -> cst.Call | None:
        """``print(value)``, ``np.savetxt(path, value)``, ``value.tofile(path)``: the output call."""
        parent = self.parents.get(value)
        call = self.parents.get(parent) if parent is not None else None
        if isinstance(parent, cst.Arg) and isinstance(call, cst.Call) and self._is_output(call):
            return call
        if isinstance(parent, cst.Attribute) and parent.value is value and isinstance(call, cst.Call) \
                and call.func is parent and parent.attr.value in HOST_OUTPUT_METHODS:
            return call
        return None

    def _is_output(self, call: cst.Call) -> bool:
        if self.qualified_name(call.func) in HOST_OUTPUT_CALLS:
            return True
        return isinstance(call.func, cst.Attribute) and call.func.attr.value in HOST_OUTPUT_METHODS

    def _note_pinned(self, call: cst.Call) -> None:
        statement = self._statement_line(call)
        if statement is None:
            return
        comments = [line.comment.value for line in statement.leading_lines if line.comment]
        if statement.trailing_whitespace.comment:
            comments.append(statement.trailing_whitespace.comment.value)
        for comment in comments:
            if PINNED_COMMENT.search(comment):
                self.pinned[call] = comment
                return

    def _inside_array_call(self, node: cst.CSTNode) -> bool:
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, (cst.BaseStatement, cst.BaseSmallStatement)):
            if isinstance(parent, cst.Call):
                qualified = self.qualified_name(parent.func) or ""
                if qualified.startswith(("numpy.", "jax.")) or qualified in ("numpy", "jax"):
                    return True
            parent = self.parents.get(parent)
        return False

    # -- where a call sits ---------------------------------------------------------------------

    def placement(self, call: cst.Call) -> Placement:
        """The statement in a block that a key split can go before, and the enclosing function."""
        child: cst.CSTNode = call
        parent = self.parents.get(child)
        problem = ""
        while parent is not None:
            if isinstance(parent, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
                problem = problem or (
                    "it is inside a lambda or comprehension, which runs it many times with one key; "
                    "draw all values with one call (size=...) or write a loop"
                )
            if isinstance(parent, cst.SimpleStatementSuite):
                return Placement(None, self._function_of(parent), problem or (
                    "it shares a line with its block header; put it on its own line"))
            if isinstance(parent, cst.SimpleStatementLine):
                if not problem and self._in_class_body(parent):
                    problem = "it runs in a class body, where a split key would become a class attribute"
                return Placement(parent, self._function_of(parent), problem)
            if isinstance(parent, cst.BaseCompoundStatement) and not isinstance(child, cst.BaseSuite):
                statement = self._outermost_if(parent)
                if isinstance(parent, cst.While):
                    problem = problem or "it is in a `while` test, evaluated once per iteration with one key"
                elif isinstance(parent, (cst.FunctionDef, cst.ClassDef)):
                    problem = problem or "it is in a decorator, default value or class header"
                return Placement(statement, self._function_of(statement), problem)
            child, parent = parent, self.parents.get(parent)
        return Placement(None, None, problem or "it is not inside a statement")

    def _in_class_body(self, statement: cst.CSTNode) -> bool:
        child, parent = statement, self.parents.get(statement)
        while parent is not None:
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and child is parent.body:
                return isinstance(parent, cst.ClassDef)
            child, parent = parent, self.parents.get(parent)
        return False

    def _outermost_if(self, node: cst.CSTNode) -> cst.CSTNode:
        """An ``elif`` belongs to the ``if`` statement it continues."""
        parent = self.parents.get(node)
        while isinstance(node, cst.If) and isinstance(parent, cst.If) and parent.orelse is node:
            node, parent = parent, self.parents.get(parent)
        return node

    def _statement_line(self, node: cst.CSTNode) -> cst.SimpleStatementLine | None:
        while node is not None and not isinstance(node, cst.SimpleStatementLine):
            node = self.parents.get(node)
        return node

    def _function_of(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The function whose body holds ``node`` (a class body counts as no function)."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, cst.FunctionDef) and child is parent.body:
                return parent
            if isinstance(parent, cst.ClassDef) and child is parent.body:
                return None
            child, parent = parent, self.parents.get(parent)
        return None

    def _class_of(self, node: cst.CSTNode) -> cst.ClassDef | None:
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, cst.ClassDef):
            parent = self.parents.get(parent)
        return parent

    def _method_class(self, function: cst.FunctionDef) -> cst.ClassDef | None:
        block = self.parents.get(function)
        owner = self.parents.get(block) if block is not None else None
        return owner if isinstance(owner, cst.ClassDef) else None

    def _is_public(self, function: cst.FunctionDef) -> bool:
        """Public: callers outside this module may exist (a top-level or method name without `_`)."""
        name = function.name.value
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            return False
        return self._function_of(function) is None

    @staticmethod
    def _is_self(node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value == "self"


def _attribute_used_outside(module: cst.Module, stream: Stream) -> bool:
    """Whether ``<anything>.<attr>`` appears outside the class that holds the stream."""
    attr = stream.name[len("self."):]
    inside, everywhere = _References(attr, attribute=False), _References(attr, attribute=False)
    visit(None, stream.owner, inside)
    visit(None, module, everywhere)
    return everywhere.attributes > inside.attributes


def _looks_like_generator(param: cst.Param) -> bool:
    annotation = _EMPTY.code_for_node(param.annotation.annotation) if param.annotation else ""
    return bool(GENERATOR_PARAM.search(param.name.value)) or "Generator" in annotation or "RandomState" in annotation


class _References(cst.CSTVisitor):
    """Name nodes spelling a variable (``rng``), or the attribute name of ``self.rng``."""

    def __init__(self, name: str, attribute: bool):
        super().__init__()
        self.name, self.attribute = name, attribute
        self.found: list[cst.CSTNode] = []
        self.attributes = 0  # `x.<name>` for any x, counted when looking for a variable

    def visit_Name(self, node: cst.Name) -> None:
        if not self.attribute and node.value == self.name:
            self.found.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.attribute and node.attr.value == self.name and isinstance(node.value, cst.Name) \
                and node.value.value == "self":
            self.found.append(node.attr)
            return False
        if not self.attribute:
            self.attributes += node.attr.value == self.name
            visit(None, node.value, self)  # `x.rng` names an attribute, not the variable
            return False
        return True

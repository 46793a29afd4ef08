"""Mutation and aliasing: which statements write an array in place, and who else sees the write.

NumPy arrays are mutable buffers shared by every name that refers to them: ``y = x``, views
(``x[1:]``, ``x.T``, ``x.reshape(...)``, ``np.asarray(x)``), containers holding ``x``, the caller
of a function that received ``x``. A functional rewrite turns a write into *rebinding one name*,
so it is exact only when no other holder of the buffer can observe the write. This module finds
the in-place writes of every scope (module body, each function) and, at each write, the buffers
the written name may refer to and every other name or holder that shares them.

The walk follows the statements in order (flow-sensitive: ``x = x.copy()`` gives ``x`` a fresh
buffer), joins both arms of ``if``/``try`` and repeats loop bodies until nothing changes. It does
not decide what the codemod may rewrite; it states facts, and the codemod judges them.

Assumption (stated in the in-place codemod's documentation): a call to a function that is neither
a known NumPy view function nor a function of this module returns a new array, and does not keep
a reference to the arrays passed to it.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable

import libcst as cst

from jaxify.analysis.effects import Effect, effects_of_name
from jaxify.analysis.elements import ElementFacts, ElementRead
from jaxify.analysis.expressions import code_of, names_in
from jaxify.analysis.function_tree import all_functions, bind_arguments, declared_globals, parameters, returned_params
from jaxify.analysis.lax_bodies import handed_to_lax
from jaxify.analysis.tree import TreeIndex
from jaxify.analysis.values import Kind

# NumPy functions and array methods whose result may share memory with their first argument.
VIEW_FUNCTIONS = frozenset(
    f"numpy.{name}"
    for name in (
        "asarray asanyarray ascontiguousarray asfortranarray reshape ravel transpose squeeze "
        "expand_dims atleast_1d atleast_2d atleast_3d swapaxes moveaxis rollaxis broadcast_to "
        "diagonal real imag split array_split hsplit vsplit dsplit flip fliplr flipud rot90"
    ).split()
)
VIEW_METHODS = frozenset("reshape ravel view transpose squeeze swapaxes diagonal".split())
VIEW_ATTRIBUTES = frozenset("T mT real imag flat base".split())


@dataclasses.dataclass(frozen=True)
class Buffer:
    """One memory buffer: a parameter's, a global's, one created at a given statement, or unknown."""

    origin: str  # "param", "global", "local", "container", "unknown"
    name: str  # parameter or global name; for the others a description of where it came from
    creator: str = ""  # for "local": the qualified name of the function that made it, if known

    def describe(self) -> str:
        if self.origin == "param":
            return f"the caller's array passed as `{self.name}`"
        if self.origin == "global":
            return f"the module-level array `{self.name}`"
        return self.name


@dataclasses.dataclass(frozen=True)
class Ref:
    buffer: Buffer
    view: bool  # True when the name may refer to part of the buffer (a slice, a reshape, ...)
    # set when the name got it from an element read `x[i]`: a copy of one number, not a view,
    # where `x` has exactly as many dimensions as indices (see jaxify.analysis.elements)
    element: ElementRead | None = None


Env = dict[str, frozenset[Ref]]
VALUE = Ref(Buffer("value", "a Python value"), False)  # a number, string, ...: no buffer to share
VALUE_SET = frozenset({VALUE})
FUNCTION = Ref(Buffer("function", "a function defined here"), False)
SHARED_ORIGINS = frozenset({"param", "global", "local", "unknown"})


@dataclasses.dataclass
class Write:
    """One statement that writes an array in place, and what the walk knew there."""

    node: cst.CSTNode  # the small statement (Assign, AugAssign or Expr) of the original tree
    name: str | None  # the name the rewrite would rebind; None when the target is not a plain name
    target: cst.BaseExpression  # the expression written to (``x``, ``x[i]``, ``self.a[i]``)
    form: str  # "subscript", "augmented-name", "call", "helper"
    refs: frozenset[Ref] = frozenset()
    sharers: dict[str, int] = dataclasses.field(default_factory=dict)  # other names -> line they got it
    escapes: dict[Buffer, str] = dataclasses.field(default_factory=dict)  # buffer -> how it escaped
    callee: str = ""  # for "helper": the module function called
    param: str = ""  # for "helper": the callee's parameter bound to ``name``
    # True when on every path to this write, an earlier indexed or call write of the same name
    # (whose rewrite makes a jax array) came after the name's last binding
    after_write: bool = False
    # names in the index that may hold a Python list (an integer-array index, not a basic one)
    list_indices: frozenset[str] = frozenset()
    # each sharer -> the element reads through which it holds the array (None: some other way)
    sharer_reads: dict[str, frozenset[ElementRead | None]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ScopeWrites:
    """The writes of one scope: the module body (``function is None``) or one function."""

    function: cst.FunctionDef | None
    params: tuple[str, ...]
    writes: list[Write]
    declared_global: frozenset[str]
    elements: ElementFacts | None = None  # the function's element reads (None for the module body)


class MutationAnalysis:
    """Walks every scope of a module and records its in-place writes.

    ``classify_call(call)`` tells the walker what a call statement does in place: it returns
    the expression a known NumPy in-place call writes (``np.copyto(x, y)`` writes ``x``) or None;
    ``is_array(expr)`` says whether the value analysis knows ``expr`` is an array;
    ``qualified_name(expr)`` resolves names through imports. A call passing ``x`` to a function of
    this module is recorded as a possible write of ``x`` (form "helper"): whether the callee really
    writes that parameter is decided over the whole module by the caller of this analysis.
    """

    def __init__(
        self,
        module: cst.Module,
        *,
        qualified_name: Callable[[cst.BaseExpression], str | None],
        classify_call: Callable[[cst.Call], cst.BaseExpression | None],
        is_array: Callable[[cst.BaseExpression], bool],
        line_of: Callable[[cst.CSTNode], int],
        tree: TreeIndex | None = None,
    ):
        self.qualified_name = qualified_name
        self.tree = tree  # the module's walks without rebuilding (ModuleAnalysis.tree)
        self.classify_call = classify_call
        self.is_array = is_array
        self.line_of = line_of
        self.functions: dict[str, cst.FunctionDef] = {
            stmt.name.value: stmt for stmt in module.body if isinstance(stmt, cst.FunctionDef)
        }
        self.returns_param = {name: returned_params(fn, tree) for name, fn in self.functions.items()}
        self.scopes: list[ScopeWrites] = [self._walk_scope(None, module.body, ())]
        functions = all_functions(module, tree)
        traced = handed_to_lax(module, functions, qualified_name, tree)
        for function in functions:
            params = tuple(p.name.value for p in parameters(function))
            self.scopes.append(self._walk_scope(function, function.body.body, params, function in traced))

    def elements(self, function: cst.FunctionDef) -> ElementFacts | None:
        """The element reads of ``function`` (see :mod:`jaxify.analysis.elements`)."""
        return next((scope.elements for scope in self.scopes if scope.function is function), None)

    # -- one scope -----------------------------------------------------------------------

    def _walk_scope(self, function, body, params, traced: bool = False) -> ScopeWrites:
        elements = ElementFacts(function, self.qualified_name, self.line_of, self.tree) if function is not None else None
        walker = _ScopeWalker(self, function is not None, params, declared_globals(body, self.tree), elements)
        # a function jax.lax calls (a loop body, a branch) receives traced values: immutable, so
        # `x += v` there rebinds, and nothing its caller holds can see a write
        env: Env = {p: VALUE_SET if traced else frozenset({Ref(Buffer("param", p), False)}) for p in params}
        walker.block(body, env)
        return ScopeWrites(function, params, list(walker.writes.values()), walker.declared_global, elements)


class _ScopeWalker:
    def __init__(self, owner: MutationAnalysis, in_function: bool, params, declared_global, elements):
        self.owner = owner
        self.elements: ElementFacts | None = elements
        self.in_function = in_function
        self.params = params
        self.declared_global = declared_global
        # by (statement, name, parameter): loop bodies are walked more than once
        self.writes: dict[tuple[int, str | None, str], Write] = {}
        self.escaped: dict[Buffer, str] = {}

    # -- expressions -------------------------------------------------------------------

    def refs(self, expr: cst.BaseExpression, env: Env) -> frozenset[Ref]:
        """The buffers ``expr`` may refer to: the same buffer (or a view of it) as which names."""
        if isinstance(expr, cst.Name):
            if expr.value in env:
                return env[expr.value]
            if self.in_function or expr.value in self.declared_global:
                return frozenset({Ref(Buffer("global", expr.value), False)})
            # imported, or bound in a way the walk does not follow: other code may hold it
            return frozenset({Ref(Buffer("unknown", f"`{expr.value}`, which this module did not create"), False)})
        if isinstance(expr, cst.Subscript):
            items = _items(self.refs(expr.value, env), expr.value)
            read = self.elements.read(expr) if self.elements is not None else None
            return items if read is None else frozenset(dataclasses.replace(ref, element=read) for ref in items)
        if isinstance(expr, cst.Attribute):
            if expr.attr.value in VIEW_ATTRIBUTES:
                return _as_views(self.refs(expr.value, env))
            if self.owner.qualified_name(expr):
                return frozenset()  # a module attribute such as np.pi
            return frozenset({Ref(Buffer("unknown", f"the attribute `{code_of(expr)}`"), False)})
        if isinstance(expr, cst.Call):
            return self._call_refs(expr, env)
        if isinstance(expr, cst.IfExp):
            return self.refs(expr.body, env) | self.refs(expr.orelse, env)
        if isinstance(expr, cst.NamedExpr):
            return self.refs(expr.value, env)
        if isinstance(expr, CONTAINER_LITERALS):
            line = self.owner.line_of(expr)
            made = f"the container made at line {line}"
            return frozenset({Ref(Buffer("container", made, type(expr).__name__), False)})
        if isinstance(expr, cst.BinaryOperation):  # [0] * n is a list, like [0]
            for side in (expr.left, expr.right):
                if isinstance(side, CONTAINER_LITERALS):
                    return self.refs(side, env)
        if self.owner.is_array(expr):  # arithmetic on arrays makes a new array
            operands = [expr.left, expr.right] if isinstance(expr, cst.BinaryOperation) else []
            made_by = "jax.numpy" if any(_made_by_jax(self.refs(o, env)) for o in operands) else ""
            made = f"the new array made at line {self.owner.line_of(expr)}"
            return frozenset({Ref(Buffer("local", made, made_by), False)})
        return VALUE_SET

    def _call_refs(self, call: cst.Call, env: Env) -> frozenset[Ref]:
        func = call.func
        qualified = self.owner.qualified_name(func)
        first = call.args[0].value if call.args else None
        if qualified in VIEW_FUNCTIONS and first is not None:
            return _as_views(self.refs(first, env))
        if isinstance(func, cst.Attribute) and func.attr.value in VIEW_METHODS and not qualified:
            return _as_views(self.refs(func.value, env))
        if isinstance(func, cst.Name) and func.value in self.owner.functions and (
            env.get(func.value, frozenset({FUNCTION})) == frozenset({FUNCTION})
        ):
            returned = self.owner.returns_param.get(func.value, ())
            params = [p.name.value for p in parameters(self.owner.functions[func.value])]
            found: frozenset[Ref] = frozenset()
            for param, arg in bind_arguments(params, call):
                if param in returned:
                    found |= _as_views(self.refs(arg, env))
            if found:
                return found
        line = self.owner.line_of(call)
        if isinstance(func, cst.Attribute) and not qualified and _made_by_jax(self.refs(func.value, env)):
            qualified = "jax.Array." + func.attr.value  # a method of a jax array returns a jax array
        if qualified in CONTAINER_BUILDERS:
            return frozenset({Ref(Buffer("container", f"the container made at line {line}", qualified), False)})
        return frozenset({Ref(Buffer("local", f"the new array made at line {line}", qualified or ""), False)})

    def escape(self, expr: cst.BaseExpression, env: Env, how: str) -> None:
        for ref in self.refs(expr, env):
            self.escaped.setdefault(ref.buffer, how)

    def escape_elements(self, expr: cst.BaseExpression, env: Env, how: str) -> None:
        """Arrays put into a list, tuple, set or dict literal are held by that container."""
        elements: Iterable[cst.BaseExpression] = ()
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            elements = [e.value for e in expr.elements]
        elif isinstance(expr, cst.Dict):
            elements = [e.value for e in expr.elements if isinstance(e, cst.DictElement)]
        for element in elements:
            self.escape(element, env, how)
            self.escape_elements(element, env, how)

    # -- statements --------------------------------------------------------------------

    def block(self, body: Iterable[cst.CSTNode], env: Env) -> Env:
        for stmt in body:
            env = self.statement(stmt, env)
        return env

    def statement(self, stmt: cst.CSTNode, env: Env) -> Env:
        if isinstance(stmt, cst.BaseSmallStatement):  # the body of `if c: x[0] = 1`
            return self.small(stmt, env)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                env = self.small(small, env)
            return env
        if isinstance(stmt, cst.If):
            then = self.block(stmt.body.body, dict(env))
            other = self.statement(stmt.orelse, dict(env)) if stmt.orelse else env
            return _join(then, other)
        if isinstance(stmt, cst.Else):
            return self.block(stmt.body.body, env)
        if isinstance(stmt, (cst.For, cst.While)):
            return self.loop(stmt, env)
        if isinstance(stmt, cst.Match):
            joined = env
            for case in stmt.cases:
                joined = _join(joined, self.block(case.body.body, dict(env)))
            return joined
        if isinstance(stmt, cst.Try):
            after = self.block(stmt.body.body, dict(env))
            joined = _join(env, after)
            for handler in stmt.handlers:
                joined = _join(joined, self.block(handler.body.body, dict(joined)))
            if stmt.orelse:
                joined = _join(joined, self.block(stmt.orelse.body.body, dict(after)))
            if stmt.finalbody:
                joined = self.block(stmt.finalbody.body.body, joined)
            return joined
        if isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    env = self.bind(item.asname.name, _unknown(item.item, self.owner), env)
            return self.block(stmt.body.body, env)
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            if isinstance(stmt, cst.FunctionDef):
                for param in parameters(stmt):
                    if param.default is not None:
                        self.escape(param.default, env, f"a default argument of `{stmt.name.value}`")
            env = dict(env)
            env[stmt.name.value] = frozenset({FUNCTION}) if isinstance(stmt, cst.FunctionDef) else frozenset()
            return env
        return env

    def loop(self, stmt: cst.For | cst.While, env: Env) -> Env:
        current = env
        for _ in range(4):  # reach a fixpoint: buffers only ever grow
            entry = dict(current)
            if isinstance(stmt, cst.For):
                entry = self.bind(stmt.target, _items(self._iterated(stmt.iter, entry), stmt.iter), entry)
            after = self.block(stmt.body.body, entry)
            joined = _join(current, after)
            if joined == current:
                break
            current = joined
        if stmt.orelse:
            current = self.block(stmt.orelse.body.body, current)
        return current

    def _iterated(self, iterable: cst.BaseExpression, env: Env) -> frozenset[Ref]:
        """What a loop target refers to: the rows of an array, the items of enumerate/zip."""
        if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name):
            if iterable.func.value in ("enumerate", "zip", "reversed"):
                found: frozenset[Ref] = frozenset()
                for arg in iterable.args:
                    found |= self.refs(arg.value, env)
                return found
            if iterable.func.value == "range":
                return frozenset()
        return self.refs(iterable, env)

    def bind(self, target: cst.BaseExpression, refs: frozenset[Ref], env: Env) -> Env:
        env = dict(env)
        if isinstance(target, cst.Name):
            env[target.value] = refs
            env.pop(_WRITTEN + target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                env = self.bind(element.value, refs, env)
        elif isinstance(target, cst.StarredElement):
            env = self.bind(target.value, refs, env)
        return env

    def small(self, small: cst.CSTNode, env: Env) -> Env:
        if isinstance(small, cst.Assign):
            return self.assign(small, [t.target for t in small.targets], small.value, env)
        if isinstance(small, cst.AnnAssign) and small.value is not None:
            return self.assign(small, [small.target], small.value, env)
        if isinstance(small, cst.AugAssign):
            if not isinstance(small.target, cst.Subscript):  # x += y, self.total += y
                self.record(small, small.target, "augmented-name", env)
                return env  # in NumPy the buffer stays the same
            return _mark_written(env, self.record(small, small.target, "subscript", env))
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return _mark_written(env, self.call_statement(small, small.value, env))
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Yield):
            if isinstance(small.value.value, cst.BaseExpression):
                self.escape(small.value.value, env, "a value yielded by a generator")
        return env

    def assign(self, node, targets: list[cst.BaseExpression], value: cst.BaseExpression, env: Env) -> Env:
        line = self.owner.line_of(node)
        self.escape_elements(value, env, f"the container built at line {line}")
        if len(targets) > 1 and any(isinstance(target, cst.Subscript) for target in targets):
            for target in targets:  # `a[i] = b[j] = v`: each a write, none rewritten (JX116)
                if isinstance(target, cst.Subscript):
                    env = _mark_written(env, self.record(node, target, "chained", env))
        if len(targets) == 1 and isinstance(targets[0], cst.Subscript):
            target = targets[0]
            written = self.record(node, target, "subscript", env)
            if not (isinstance(target.value, cst.Name) and self.owner.is_array(target.value)):
                # an array stored into an array is copied; into anything else it is held
                self.escape(value, env, f"the container `{code_of(target.value)}` (line {line})")
            return _mark_written(env, written)
        refs = self.refs(value, env)
        env = self.age(env, self.made_now(value, refs, env))
        if isinstance(value, cst.Call):
            written = self.owner.classify_call(value)
            if written is not None:  # np.add(a, b, out=c) used as a value still writes c
                self.record(node, written, "call", env)
            self.helper_call(node, value, env)
        for target in targets:
            if isinstance(target, (cst.Attribute, cst.Subscript)):
                self.escape(value, env, f"`{code_of(target)}` (line {line})")
            elif isinstance(target, cst.Name) and self.in_function and target.value in self.declared_global:
                self.escape(value, env, f"the global `{target.value}` (line {line})")
            env = self.bind(target, refs, env)
        return env

    def made_now(self, value: cst.BaseExpression, refs: frozenset[Ref], env: Env) -> frozenset[Buffer]:
        """The buffers evaluating ``value`` creates now: a call's new array, new arithmetic, a
        literal container; not those any name in ``value`` already holds (``b = a`` makes none),
        unless ``value`` itself makes them: in a loop, ``new = u.copy()`` after ``u = new`` copies
        the array an earlier run made at this line into a new one."""
        held = {ref.buffer for name in names_in(value) for ref in env.get(name, ())}
        if isinstance(value, cst.Call) and len(refs) == 1:  # a call's own new array (not a view, not a helper's argument)
            (ref,) = refs
            if not ref.view and ref.buffer.name == f"the new array made at line {self.owner.line_of(value)}":
                held.discard(ref.buffer)
        return frozenset(
            ref.buffer for ref in refs if ref.buffer.origin in ("local", "container") and ref.buffer not in held
        )

    def age(self, env: Env, made: frozenset[Buffer]) -> Env:
        """A statement in a loop makes a new buffer on every run, under the one description of its
        line: names still holding the one an earlier run made hold another array, not the new one
        (``u_next = np.empty(n); ...; u = u_next`` leaves `u` on last step's array)."""
        if not made:
            return env
        earlier = {buffer: dataclasses.replace(buffer, name=f"{buffer.name}, on an earlier run") for buffer in made}
        for buffer, older in earlier.items():
            if buffer in self.escaped:
                self.escaped.setdefault(older, self.escaped[buffer])
        return {
            name: refs if name.startswith(_WRITTEN) else frozenset(
                dataclasses.replace(ref, buffer=earlier.get(ref.buffer, ref.buffer)) for ref in refs
            )
            for name, refs in env.items()
        }

    def call_statement(self, stmt: cst.Expr, call: cst.Call, env: Env) -> str | None:
        """Record what a call statement writes; returns the name an in-place NumPy call writes."""
        written = self.owner.classify_call(call)
        if written is not None:
            return self.record(stmt, written, "call", env)
        self.helper_call(stmt, call, env)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in CONTAINER_METHODS:
            for arg in call.args:
                self.escape(arg.value, env, f"`{code_of(call.func.value)}` (line {self.owner.line_of(stmt)})")
        return None

    def helper_call(self, stmt, call: cst.Call, env: Env) -> None:
        """A call to a function of this module that may write the arrays passed to it."""
        callee = call.func.value if isinstance(call.func, cst.Name) else None
        if callee not in self.owner.functions or env.get(callee, frozenset({FUNCTION})) != frozenset({FUNCTION}):
            return  # not a module function, or a local name shadows it
        params = [p.name.value for p in parameters(self.owner.functions[callee])]
        line = self.owner.line_of(stmt)
        for param, arg in bind_arguments(params, call):
            mine = {ref.buffer for ref in self.refs(arg, env) if ref.buffer.origin in SHARED_ORIGINS}
            for other in call.args:
                if other.value is not arg and mine & {ref.buffer for ref in self.refs(other.value, env)}:
                    # the callee sees one buffer under two parameter names: its write reaches both
                    for buffer in mine:
                        self.escaped.setdefault(buffer, f"another argument of the call at line {line}")
            self.record(stmt, arg, "helper", env, callee=callee, param=param)

    def record(self, node, target: cst.BaseExpression, form: str, env: Env, **extra) -> str | None:
        base = target.value if form in ("subscript", "chained") and isinstance(target, cst.Subscript) else target
        name = base.value if isinstance(base, cst.Name) else None
        refs = self.refs(base, env)
        buffers = {ref.buffer for ref in refs if ref.buffer.origin in SHARED_ORIGINS}
        sharers = {
            other: self.owner.line_of(node)
            for other, other_refs in env.items()
            if other != name and not other.startswith(_WRITTEN) and buffers & {ref.buffer for ref in other_refs}
        }
        escapes = {buffer: how for buffer, how in self.escaped.items() if buffer in buffers}
        sharer_reads = {other: frozenset(ref.element for ref in env[other] if ref.buffer in buffers) for other in sharers}
        key = (id(node), name, extra.get("param", ""))
        previous = self.writes.get(key)
        if previous is not None:  # a loop body walked again: keep what every pass saw
            refs |= previous.refs
            sharers = {**previous.sharers, **sharers}
            escapes = {**previous.escapes, **escapes}
            for other, reads in previous.sharer_reads.items():
                sharer_reads[other] = sharer_reads.get(other, frozenset()) | reads
        after_write = _WRITTEN + str(name) in env and (previous is None or previous.after_write)
        list_indices = frozenset(
            element.slice.value.value
            for element in (target.slice if form == "subscript" and isinstance(target, cst.Subscript) else ())
            if isinstance(element.slice, cst.Index) and isinstance(element.slice.value, cst.Name)
            and any(ref.buffer.origin == "container" and ref.buffer.creator not in ("Tuple", "builtins.tuple")
                    for ref in self.refs(element.slice.value, env))
        )
        if previous is not None:
            list_indices |= previous.list_indices
        self.writes[key] = Write(node, name, target, form, refs, sharers, escapes, after_write=after_write,
                                 list_indices=list_indices, sharer_reads=sharer_reads, **extra)
        return name


def written_by_call(call: cst.Call, qualified_name: Callable[[cst.BaseExpression], str | None]):
    """The array a call writes in place, if it is one of NumPy's in-place forms; else None.

    ``x.fill(v)`` / ``x.sort()`` on something that is not a module, ``np.copyto(x, ...)`` and the
    other writing functions, ``np.add.at(x, ...)``, and any NumPy call with an ``out=`` argument.
    """
    qualified = qualified_name(call.func)
    if qualified is None and isinstance(call.func, cst.Attribute) and call.func.attr.value in ("fill", "sort"):
        return call.func.value
    if qualified is None or not qualified.startswith("numpy."):
        return None  # jax.numpy never writes in place (its in-place spellings raise)
    first = call.args[0].value if call.args and not call.args[0].keyword else None
    if first is not None and Effect.WRITES_ARGUMENT in effects_of_name(qualified):
        return first
    out = next((a.value for a in call.args if a.keyword and a.keyword.value == "out"), None)
    if out is not None and not (isinstance(out, cst.Name) and out.value == "None"):
        return out
    return None


def target_kind(write: Write, kind_of: Callable[[cst.BaseExpression], Kind]) -> str:
    """What a recorded write writes: "array", "unknown" (may be an array), or "python".

    "python": a list, dict or other container, a static value, or a name rebound by ``x += v``
    that holds a Python value on every path; such a write is Python's own business and rebinding
    is exactly what ``x += v`` does there. Helper calls are judged by their callee, not here.
    """
    origins = {ref.buffer.origin for ref in write.refs}
    if write.name is None:
        base = write.target.value if isinstance(write.target, cst.Subscript) else write.target
        kind = kind_of(base)
        return "array" if kind is Kind.ARRAY else "unknown" if kind is Kind.UNKNOWN else "python"
    if "container" in origins:
        return "python"
    target = write.target.value if write.form == "subscript" else write.target
    kind = kind_of(target)
    if kind is Kind.STATIC:
        return "python"
    if kind is Kind.UNKNOWN or "value" in origins:
        if write.form == "augmented-name" and not origins & {"param", "global", "local"}:
            return "python"
        return "unknown"
    return "array"


CONTAINER_METHODS = frozenset("append extend insert add update setdefault put".split())
CONTAINER_BUILDERS = frozenset(
    f"builtins.{name}" for name in "list dict set bytearray tuple frozenset".split()
) | frozenset(f"collections.{name}" for name in "deque defaultdict OrderedDict Counter".split())
CONTAINER_LITERALS = (
    cst.List, cst.Dict, cst.Set, cst.Tuple, cst.ListComp, cst.DictComp, cst.SetComp,
    cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
)


def _as_views(refs: frozenset[Ref]) -> frozenset[Ref]:
    return frozenset(Ref(ref.buffer, True) for ref in refs)


def _made_by_jax(refs: frozenset[Ref]) -> bool:
    """True when every buffer ``refs`` may be was made by jax (so it is an immutable jax array)."""
    return bool(refs) and all(ref.buffer.origin == "local" and ref.buffer.creator.startswith("jax.") for ref in refs)


def _items(refs: frozenset[Ref], whole: cst.BaseExpression) -> frozenset[Ref]:
    """What an item (or row) of ``whole`` refers to: a view of an array; for a container, an object
    the container holds, whose other holders cannot be followed."""
    found = set()
    for ref in refs:
        if ref.buffer.origin == "container":
            found.add(Ref(Buffer("unknown", f"an item of the container `{code_of(whole)}`"), False))
        elif ref.buffer.origin not in ("value", "function"):
            found.add(Ref(ref.buffer, True))
    return frozenset(found)


def _join(a: Env, b: Env) -> Env:
    joined = {name: a.get(name, frozenset()) | b.get(name, frozenset()) for name in a.keys() | b.keys()}
    for name in list(joined):  # "written before" must hold on both paths
        if name.startswith(_WRITTEN) and not (name in a and name in b):
            del joined[name]
    return joined


_WRITTEN = "\0written:"  # env key prefix (not a Python name) marking names already written




def _mark_written(env: Env, name: str | None) -> Env:
    if name is None:
        return env
    env = dict(env)
    env[_WRITTEN + name] = frozenset()
    return env


def _unknown(expr: cst.BaseExpression, owner: MutationAnalysis) -> frozenset[Ref]:
    return frozenset({Ref(Buffer("unknown", f"the value of `{code_of(expr)}` (line {owner.line_of(expr)})"), False)})

"""jit wrapping with inferred static arguments, and the traps of jitted code (JX8xx).

## What it does
By default, wraps each top-level function that the other rewrites convert in full (the
whole-function gate, ``jaxify/function_gate.py``, decides) in ``@jax.jit``, or in
``@functools.partial(jax.jit, static_argnames=(...))`` when the value-kind analysis shows
parameters that must stay Python values (trip counts, shapes, flags, strings). ``--jit`` wraps
every jit-compatible top-level function, converted or not; ``--no-jit`` wraps none, and says that
eager calls of a converted function will be slower. A function that cannot be jitted gets a
finding naming the blocking line. A function the gate keeps on NumPy gets one JX807 finding
naming its first blocker (a refused rewrite, a line jax.jit cannot trace, a caller that writes its
result in place); only API migrations (JX5) still change it.

In jitted functions (wrapped here or already decorated), it rewrites ``print(...)`` into
``jax.debug.print(...)`` with the format string converted, and reports the traps of jitted
code: Python loops that unroll at trace time, static arguments that change on every call
(each value compiles again), and side effects that run only while tracing.

## Why JAX needs it
``jax.jit`` compiles a function once per set of static values and input shapes; the compiled
code is what makes JAX fast. Inside it, Python runs only once, at trace time: ``print`` shows
tracers once instead of values on every call, a global counter counts compilations, and a
Python loop is unrolled into one long program.

## Example
Before:

    def step(x, n):
        for i in range(n):
            x = x * 0.5
        print("x is", x)
        return x

After (`--jit`):

    @functools.partial(jax.jit, static_argnames=("n",))
    def step(x, n):
        for i in range(n):
            x = x * 0.5
        jax.debug.print("x is {}", x)
        return x

with a JX803 report that the loop unrolls into ``n`` copies of its body.

## When it refuses
A function is left unwrapped (JX802, with the blocking line) when it branches or loops on a
traced or unknown value, calls NumPy or host-only functions (I/O, plotting, the clock),
converts arrays to Python values (``float(x)``, ``.item()``), mutates arrays in place, writes
global state, or calls a function that is not jit-compatible itself. A ``print`` whose format
cannot be converted (``file=``, ``end=``, ``%`` formatting) is left alone and reported.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
from libcst.metadata import PositionProvider

from jaxify.analysis.effects import ARRAY_IN_PLACE_METHODS, Effect, calls_in, effects_of_method, effects_of_name
from jaxify.analysis.expressions import at_update_base, code_of, names_in
from jaxify.analysis.jax_differences import jit_differences
from jaxify.analysis.mutation import bind_arguments, parameters
from jaxify.codemod import Codemod
from jaxify.codemods.debug_print import PrintConversion, debug_print_arguments
from jaxify.codemods.jit_static import concrete_parameters
from jaxify.rules import Rule, Safety

RULES = (
    Rule("JX801", "jit-wrap", Safety.SAFE,
         "Wrap a function that converts in full (with --jit: any jit-compatible one) in `jax.jit` with its static "
         "arguments."),
    Rule("JX802", "not-jit-compatible", Safety.REPORT,
         "A function that cannot be jitted, with the line that blocks it."),
    Rule("JX803", "unrolled-loop", Safety.REPORT,
         "A Python loop in jitted code unrolls at trace time (compile time grows with the trip count)."),
    Rule("JX804", "changing-static-argument", Safety.REPORT,
         "A static argument gets a new value on every call in a loop: each value compiles again."),
    Rule("JX805", "print-in-jit", Safety.SAFE,
         "`print` in jitted code runs once at trace time -> `jax.debug.print` (runs on every call)."),
    Rule("JX806", "trace-time-side-effect", Safety.REPORT,
         "A Python side effect (global write, append to an outer list) in jitted code runs only at trace time."),
    Rule("JX807", "function-keeps-numpy", Safety.REPORT,
         "A function that cannot be traced end to end keeps its NumPy computation: its first blocker."),
)

UNHASHABLE_LITERALS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
# Under jit, JAX itself is traceable, host callbacks included (they are what jit offers for effects).
TRACEABLE_MODULES = ("jax.", "functools.partial")


@dataclasses.dataclass
class Blocker:
    node: cst.CSTNode
    reason: str
    side_effect: bool = False  # also reported as JX806 in code that is already jitted


def _decorator_target(decorator: cst.Decorator) -> cst.BaseExpression:
    """``@jax.jit`` -> ``jax.jit``; ``@partial(jax.jit, ...)`` -> ``jax.jit``; ``@jax.jit(...)`` too."""
    expr = decorator.decorator
    if isinstance(expr, cst.Call):
        if expr.args and code_of(expr.func).split(".")[-1] == "partial":
            return expr.args[0].value
        return expr.func
    return expr


# Said on every wrap: "never slower" holds from the crossover size up, not below it.
DISPATCH_COST = ("the first call compiles and every call pays jax.jit's dispatch (microseconds), so on small inputs "
                 "the rewrite can be slower than the NumPy original: time it on your sizes (`jaxify verify --sizes`)")


class JitWrap(Codemod):
    RULES = RULES
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        self._functions: dict[str, cst.FunctionDef] = {}
        self._blockers: dict[str, list[Blocker]] = {}
        self._jitted: set[str] = set()  # already jitted, or wrapped by this run
        self._wrap: dict[str, tuple[str, ...]] = {}  # function -> static_argnames
        self._current: list[str] = []
        self._prints: dict[str, int] = {}  # jitted function -> how many prints it holds

    @classmethod
    def may_act(cls, text: str, context) -> bool:
        # Everything this codemod does concerns the functions it wraps (--jit: all of them; by
        # default the gate's converted ones) or that `jax.jit` already wraps, which the text names.
        return context.options.jit is True or bool(context.converted) or "jit" in text

    # -- compatibility -------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.index(node)
        self._choose_functions(self._targets())
        for name in sorted(self._jitted):
            self._report_traps(self._functions[name])
            self._prints[name] = sum(
                1 for call in calls_in(self._functions[name])
                if self.analysis.qualified_name(call.func) == "builtins.print"
            )
        self._report_changing_static_arguments(node)

    def rewrites_below(self) -> bool:  # leave_FunctionDef wraps the chosen functions, leave_Call acts in jitted ones
        return bool(self._wrap or self._jitted)

    def index(self, module: cst.Module) -> None:
        """Learn the module's top-level functions and which of them are jitted already."""
        self._module = module
        self._functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
        for name, function in self._functions.items():
            if any(self._is_jit(d) for d in function.decorators):
                self._jitted.add(name)

    def _is_jit(self, decorator: cst.Decorator) -> bool:
        return self.analysis.qualified_name(_decorator_target(decorator)) == "jax.jit"

    def _targets(self) -> list[str]:
        """The functions to wrap: every one (--jit), those converted in full (default), or none."""
        if self.options.jit:
            return list(self._functions)
        converted = [name for name in self._functions if name in self.context.converted]
        if self.options.jit is False:
            for name in converted:
                self.refuse(self._functions[name], "JX801", f"`{name}` converts in full but is not wrapped in jax.jit",
                            reason="jit = false: eager calls pay JAX's dispatch on every operation and will be "
                                   "slower than the NumPy original",
                            hint="drop --no-jit (or `jit = false`) to compile it, or wrap it by hand")
            return []
        return converted

    def _choose_functions(self, names: list[str]) -> None:
        candidates = []
        for name in names:
            function = self._functions[name]
            if name in self._jitted or name.startswith("jaxify_"):
                continue
            if function.decorators:
                self.refuse(function, "JX802", f"`{name}` is not wrapped in jax.jit",
                            reason="it already has decorators, which jaxify does not reorder",
                            hint="add `@jax.jit` by hand where it belongs among the decorators")
                continue
            if function.asynchronous is not None:
                continue
            candidates.append(name)
        statics = self._static_parameters(candidates)
        for name in candidates:
            function = self._functions[name]
            blockers = sorted([*self.blockers(name), *self._static_blockers(name, statics)],
                              key=lambda b: self.position(b.node))
            if blockers:
                first = blockers[0]
                line, _col = self.position(first.node)
                self.refuse(first.node, "JX802", f"`{name}` is not jit-compatible",
                            reason=f"line {line}: {first.reason}",
                            hint="fix the blocking line, or keep this function out of jax.jit")
                continue
            static = statics[name]
            shown = f"static_argnames={static!r}" if static else "no static arguments"
            if self.fix(function, "JX801", f"`{name}` is jit-compatible -> `jax.jit` ({shown})", hint=DISPATCH_COST):
                self._wrap[name] = static
                self._jitted.add(name)

    def _static_parameters(self, candidates: list[str]) -> dict[str, tuple[str, ...]]:
        """Static argnames per function: the analysis's, the parameters JAX needs concrete, and
        (to a fixpoint) parameters passed on unchanged as a static argument of another jitted
        function of the module."""
        statics: dict[str, tuple[str, ...]] = {}
        for name in candidates:
            info = self.analysis.function_of(self._functions[name])
            static = info.static_argnames if info is not None else ()
            statics[name] = static + tuple(p for p in concrete_parameters(self._functions[name], self.analysis.qualified_name)
                                     if p not in static)
        changed = True
        while changed:
            changed = False
            for name in candidates:
                params = _parameters(self._functions[name])
                for _callee, param, arg in self._static_arguments_passed(name, statics):
                    if isinstance(arg, cst.Name) and arg.value in params and arg.value not in statics[name]:
                        statics[name] += (arg.value,)
                        changed = True
        return statics

    def _static_arguments_passed(self, name: str, statics: dict[str, tuple[str, ...]]):
        """(callee, its static parameter, the argument) for calls from ``name`` to module functions."""
        for call in calls_in(self._functions[name].body):
            callee = call.func.value if isinstance(call.func, cst.Name) else None
            if callee not in self._functions or callee == name:
                continue
            static = statics.get(callee) or (self._static_of(callee) if callee in self._jitted else ())
            for param, arg in _bind_arguments(self._functions[callee], call):
                if param in static:
                    yield callee, param, arg

    def _static_blockers(self, name: str, statics: dict[str, tuple[str, ...]]) -> list[Blocker]:
        """Static arguments that cannot be: traced values passed as another function's static
        argument, and parameters deemed static that are the data of an ``.at[].max/min`` update."""
        from jaxify.analysis import Kind

        found = []
        for callee, param, arg in self._static_arguments_passed(name, statics):
            is_static_param = isinstance(arg, cst.Name) and arg.value in statics[name]
            if not is_static_param and self.analysis.kind_of(arg) is not Kind.STATIC:
                found.append(Blocker(arg, f"passes `{code_of(arg)}`, which may be traced, as static argument "
                                          f"`{param}` of `{callee}`"))
        for call in calls_in(self._module):
            if isinstance(call.func, cst.Name) and call.func.value == name:
                for param, arg in _bind_arguments(self._functions[name], call):
                    if param in statics[name] and isinstance(arg, UNHASHABLE_LITERALS):
                        line, _col = self.position(call)
                        found.append(Blocker(self._functions[name], f"static argument `{param}` receives "
                                                                    f"`{code_of(arg)}` at line {line}, which jit cannot hash"))
        for call in calls_in(self._functions[name].body):
            # `x.at[i].max(v)` reads like NumPy's `x.max(axis)`, whose argument is static; a
            # parameter that is only "static" that way is array data, and jit cannot hash it.
            if at_update_base(call) is None or call.func.attr.value not in ("max", "min"):
                continue
            for arg in call.args:
                if isinstance(arg.value, cst.Name) and arg.value.value in statics[name]:
                    found.append(Blocker(arg.value, f"`{arg.value.value}` looks static but is array data in "
                                                    f"`{code_of(call)}`"))
        return found

    def blockers(self, name: str) -> list[Blocker]:
        """What stops the module-level function ``name`` from running under jax.jit."""
        if name not in self._blockers:
            self._blockers[name] = []  # a recursive call does not block by itself
            self._blockers[name] = self._find_blockers(self._functions[name])
        return self._blockers[name]

    def _find_blockers(self, function: cst.FunctionDef) -> list[Blocker]:
        from jaxify.analysis import Kind

        codemod = self
        found: list[Blocker] = []
        local_names = self._local_names(function)

        def not_static(expr: cst.BaseExpression) -> bool:
            return codemod.analysis.kind_of(expr) is not Kind.STATIC

        class Finder(cst.CSTVisitor):
            def visit_If(self, node: cst.If) -> None:
                if not_static(node.test):
                    found.append(Blocker(node.test, f"`if {code_of(node.test)}` depends on a traced or unknown value"))

            def visit_While(self, node: cst.While) -> None:
                if not_static(node.test):
                    found.append(Blocker(node.test, f"`while {code_of(node.test)}` depends on a traced or unknown value"))

            def visit_IfExp(self, node: cst.IfExp) -> None:
                if not_static(node.test):
                    found.append(Blocker(node.test, f"`... if {code_of(node.test)} else ...` depends on a traced value"))

            # Python tests the truth of these operands (`a == b == c` is `a == b and b == c`):
            # a traced one raises TracerBoolConversionError.
            def visit_Comparison(self, node: cst.Comparison) -> None:
                operands = [node.left, *(c.comparator for c in node.comparisons)]
                if len(operands) > 2 and any(not_static(operand) for operand in operands[:-1]):
                    found.append(Blocker(node, f"the chained comparison `{code_of(node)}` tests a traced value's truth"))

            def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
                if not_static(node.left):
                    found.append(Blocker(node, f"`{code_of(node)}` tests a traced or unknown value's truth"))

            def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
                if isinstance(node.operator, cst.Not) and not_static(node.expression):
                    found.append(Blocker(node, f"`{code_of(node)}` tests a traced or unknown value's truth"))

            def visit_Assert(self, node: cst.Assert) -> None:
                if not_static(node.test):
                    found.append(Blocker(node, f"`assert {code_of(node.test)}` needs a concrete value"))

            def visit_For(self, node: cst.For) -> None:
                if codemod._loop_count(node) is None and codemod.analysis.kind_of(node.iter) is not Kind.ARRAY:
                    found.append(Blocker(node.iter, f"the loop over `{code_of(node.iter)}` has no static trip count"))

            def visit_Try(self, node: cst.Try) -> None:
                found.append(Blocker(node, "`try` cannot catch errors from traced code"))

            def visit_With(self, node: cst.With) -> None:
                found.append(Blocker(node, "`with` blocks run their context manager only at trace time"))

            def visit_Yield(self, node: cst.Yield) -> None:
                found.append(Blocker(node, "generators cannot be jitted"))

            def visit_Return(self, node: cst.Return) -> None:
                values = node.value.elements if isinstance(node.value, cst.Tuple) else [node.value]
                for value in values:
                    value = getattr(value, "value", value)
                    if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
                        found.append(Blocker(node, f"returns the string `{code_of(value)}`, which is not a JAX type"))

            def visit_Global(self, node: cst.Global) -> None:
                names = ", ".join(n.name.value for n in node.names)
                found.append(Blocker(node, f"writes the global `{names}`, which happens only at trace time", True))

            def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
                names = ", ".join(n.name.value for n in node.names)
                found.append(Blocker(node, f"writes the outer `{names}`, which happens only at trace time", True))

            def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
                codemod._check_target(node.target, found)

            def visit_Subscript(self, node: cst.Subscript) -> None:
                for element in node.slice:
                    index = element.slice
                    if isinstance(index, cst.Index) and codemod._is_mask(index.value):
                        found.append(Blocker(node, f"`{code_of(node)}` selects with a boolean mask: "
                                                   "its shape depends on the data"))

            def visit_AugAssign(self, node: cst.AugAssign) -> None:
                codemod._check_target(node.target, found)

            def visit_Call(self, node: cst.Call) -> None:
                blocker = codemod._call_blocker(node, local_names)
                if blocker is not None:
                    found.append(blocker)

        self.analysis.tree.visit(function.body, Finder())
        # first among blockers at the same place: the reason the line must keep NumPy at all
        found[:0] = [Blocker(node, why) for node, why in jit_differences(self.analysis, function)]
        return sorted(found, key=lambda b: self.position(b.node))

    def _is_mask(self, index: cst.BaseExpression) -> bool:
        from jaxify.analysis import Kind

        if self.analysis.kind_of(index) is Kind.STATIC:
            return False
        if isinstance(index, cst.Comparison) or (
            isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.BitInvert)
        ):
            return True
        return self.analysis.dtype_of(index) == "bool"

    def _local_names(self, function: cst.FunctionDef) -> set[str]:
        info = self.analysis.function_of(function)
        return set(info.kinds) if info is not None else set()

    def _check_target(self, target: cst.BaseExpression, found: list[Blocker]) -> None:
        if isinstance(target, (cst.Subscript, cst.Attribute)):
            found.append(Blocker(target, f"`{code_of(target)}` is assigned in place; jax arrays are immutable"))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._check_target(element.value, found)

    def _call_blocker(self, call: cst.Call, local_names: set[str]) -> Blocker | None:
        from jaxify.analysis import Kind

        func = call.func
        qualified = self.analysis.qualified_name(func)
        shown = code_of(func)
        if qualified == "builtins.print":
            try:
                debug_print_arguments(call)
            except PrintConversion as why:
                return Blocker(call, f"`print` cannot become jax.debug.print: {why}")
            return None
        if isinstance(func, cst.Name) and func.value in self._functions:
            if func.value in self._jitted:
                return None
            inner = self.blockers(func.value)
            if inner:
                line, _col = self.position(inner[0].node)
                return Blocker(call, f"calls `{func.value}`, which is not jit-compatible (line {line}: {inner[0].reason})")
            return None
        if isinstance(func, cst.Attribute) and qualified is None:
            method = func.attr.value
            effects = effects_of_method(method)
            if Effect.CONCRETE in effects:
                return Blocker(call, f"`{shown}()` needs a concrete value")
            if method in ARRAY_IN_PLACE_METHODS and self.analysis.kind_of(func.value) is not Kind.STATIC:
                return Blocker(call, f"`{shown}()` changes the array in place; jax arrays are immutable")
            receiver = func.value
            if Effect.MUTATES_RECEIVER in effects and isinstance(receiver, cst.Name) and receiver.value not in local_names:
                return Blocker(call, f"`{shown}(...)` changes the outer `{receiver.value}` only at trace time", True)
            return None
        if qualified is None and isinstance(func, cst.Call):
            # `jax.grad(f)(x)`, `jax.vmap(g)(xs)`: a JAX transformation of a function, traced as is.
            inner = self.analysis.qualified_name(func.func)
            if inner is not None and inner.startswith("jax.") and Effect.HOST_CALLBACK not in effects_of_name(inner):
                return None
        if qualified is None:
            return Blocker(call, f"calls `{shown}`, which jaxify cannot check")
        if qualified.startswith("builtins."):
            builtin = qualified[len("builtins."):]
            effects = effects_of_name(qualified)
            if Effect.CONCRETE in effects:
                if all(self.analysis.kind_of(arg.value) is Kind.STATIC for arg in call.args):
                    return None
                return Blocker(call, f"`{shown}(...)` needs a concrete value")
            if not effects:
                return None
            return Blocker(call, f"calls the builtin `{builtin}`")
        if qualified.startswith(TRACEABLE_MODULES):
            return None
        info = self.analysis.function_of(call)
        for host_call, _name, reason in (info.host_calls if info is not None else []):
            if host_call is call:
                return Blocker(call, f"`{shown}` runs on the host ({reason})")
        if qualified.startswith("numpy.") and not qualified.startswith("numpy.random."):
            # NumPy on static values (`np.zeros(n)`, `np.arange(k)`) builds a constant at trace time.
            if all(self.analysis.kind_of(arg.value) is Kind.STATIC for arg in call.args):
                return None
            return Blocker(call, f"`{shown}` is NumPy, which cannot take traced values")
        if qualified.startswith("numpy.random."):
            return Blocker(call, f"`{shown}` draws from NumPy's global random state, once at trace time")
        if qualified.startswith("math.") and all(self.analysis.kind_of(a.value) is Kind.STATIC for a in call.args):
            return None
        return Blocker(call, f"calls `{shown}`, which jaxify cannot check")

    def _loop_count(self, loop: cst.For) -> str | None:
        """The trip count of ``for ... in range(static...)``, as source text, else None."""
        from jaxify.analysis import Kind

        iterable = loop.iter
        if (
            isinstance(iterable, cst.Call)
            and self.analysis.qualified_name(iterable.func) == "builtins.range"
            and iterable.args
            and all(self.analysis.kind_of(arg.value) is Kind.STATIC for arg in iterable.args)
        ):
            args = [code_of(arg.value) for arg in iterable.args]
            if len(args) == 1:
                return args[0]
            return f"len(range({', '.join(args)}))"
        return None

    # -- traps in jitted code --------------------------------------------------------------------

    def _report_traps(self, function: cst.FunctionDef) -> None:
        name = function.name.value
        codemod = self

        class Loops(cst.CSTVisitor):
            def visit_For(self, node: cst.For) -> None:
                count = codemod._loop_count(node)
                iterations = f"`{count}` iterations" if count else f"one iteration per element of `{code_of(node.iter)}`"
                codemod.refuse(node, "JX803", f"this Python loop in jitted `{name}` unrolls at trace time: {iterations}",
                               reason="each iteration becomes a copy of the loop body in the compiled program",
                               hint="fine for a few iterations; for many, use `lax.fori_loop` or `lax.scan`")

        self.analysis.tree.visit(function.body, Loops())
        if name in self._wrap:
            return
        for blocker in self.blockers(name):
            if blocker.side_effect:
                self.refuse(blocker.node, "JX806", f"in jitted `{name}`: {blocker.reason}",
                            reason="Python side effects run once, when jax traces the function",
                            hint="return the value instead, or use `jax.debug.callback` for host effects")

    def _report_changing_static_arguments(self, module: cst.Module) -> None:
        static = {name: self._static_of(name) for name in self._jitted}
        static = {name: args for name, args in static.items() if args}
        if not static:
            return
        codemod = self

        class Calls(cst.CSTVisitor):
            def __init__(self) -> None:
                self.loop_targets: list[set[str]] = []

            def visit_For(self, node: cst.For) -> None:
                self.loop_targets.append(names_in(node.target))

            def leave_For(self, original_node: cst.For) -> None:
                self.loop_targets.pop()

            def visit_Call(self, node: cst.Call) -> None:
                if not (isinstance(node.func, cst.Name) and node.func.value in static and self.loop_targets):
                    return
                changing = set().union(*self.loop_targets)
                function = codemod._functions[node.func.value]
                for param, arg in _bind_arguments(function, node):
                    if param in static[node.func.value] and names_in(arg) & changing:
                        codemod.refuse(
                            node, "JX804",
                            f"static argument `{param}` of jitted `{node.func.value}` changes on every iteration",
                            reason="every new value of a static argument compiles the function again",
                            hint=f"pass `{param}` as an array (not static) if the function allows it, or hoist the call",
                        )

        self.analysis.tree.visit(module, Calls())

    def _static_of(self, name: str) -> tuple[str, ...]:
        if name in self._wrap:
            return self._wrap[name]
        for decorator in self._functions[name].decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                for arg in expr.args:
                    if arg.keyword is not None and arg.keyword.value == "static_argnames":
                        value = arg.value
                        if isinstance(value, cst.SimpleString):
                            return (value.evaluated_value,)
                        if isinstance(value, (cst.Tuple, cst.List)):
                            return tuple(e.value.evaluated_value for e in value.elements
                                         if isinstance(e.value, cst.SimpleString))
        return ()

    # -- rewrites ---------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._current.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        self._current.pop()
        name = original_node.name.value
        if name not in self._wrap or self._functions.get(name) is not original_node:
            return updated_node  # a nested function, or a method named like a top-level function
        self.add_import("jax")
        static = self._wrap[name]
        if static:
            self.add_import("functools")
            names = ", ".join(f'"{n}"' for n in static) + ("," if len(static) == 1 else "")
            decorator = cst.parse_expression(f"functools.partial(jax.jit, static_argnames=({names}))")
        else:
            decorator = cst.parse_expression("jax.jit")
        return updated_node.with_changes(decorators=[cst.Decorator(decorator), *updated_node.decorators])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        if not self._current or self._current[0] not in self._jitted:
            return updated_node
        if self.analysis.qualified_name(original_node.func) != "builtins.print":
            return updated_node
        try:
            args = debug_print_arguments(updated_node)
        except PrintConversion as why:
            self.refuse(original_node, "JX805", "`print` in jitted code runs only at trace time",
                        reason=f"jaxify cannot convert it: {why}", hint="use `jax.debug.print` by hand")
            return updated_node
        ordered = self._prints.get(self._current[0], 0) > 1
        note = " (ordered=True keeps the order of the prints, and rules out vmap of this function)" if ordered else ""
        if not self.fix(original_node, "JX805", f"`print` in jitted code -> `jax.debug.print`{note}"):
            return updated_node
        if ordered:
            args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("ordered"),
                                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        self.add_import("jax")
        func = cst.Attribute(cst.Attribute(cst.Name("jax"), cst.Name("debug")), cst.Name("print"))
        return updated_node.with_changes(func=func, args=_with_commas(args))


def _with_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [arg.with_changes(comma=comma if i < len(args) - 1 else cst.MaybeSentinel.DEFAULT)
            for i, arg in enumerate(args)]


def _parameters(function: cst.FunctionDef) -> set[str]:
    return {p.name.value for p in parameters(function)}




def _bind_arguments(function: cst.FunctionDef, call: cst.Call) -> list[tuple[str, cst.BaseExpression]]:
    """(parameter name, argument) pairs of a call to ``function``."""
    return list(bind_arguments([p.name.value for p in parameters(function)], call))

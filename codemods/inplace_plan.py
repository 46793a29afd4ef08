"""Deciding, for a whole module at once, which in-place writes the in-place codemod rewrites.

A write can only be rewritten together with every other write of the same name in the same
scope (half a NumPy array and half a JAX array is no program), and a function that writes its
parameter can only return the new value when every call site in the module can take it back.
Both are whole-module decisions, so they are made here, before anything is rewritten.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst

from jaxify.analysis.expressions import catches_index_error
from jaxify.analysis.input_contract import write_assumption, write_refusal
from jaxify.analysis.jax_differences import write_difference
from jaxify.analysis.mutation import MutationAnalysis, ScopeWrites, Write, bind_arguments, parameters, target_kind
from jaxify.analysis.tree import TreeIndex, visit
from jaxify.codemods.inplace_forms import Builder, Facts, Form, Refusal, code
from jaxify.codemods.precision import enables_x64

INDEXED_FORMS = ("subscript", "call")

WriteKey = tuple[int, int]  # (scope number, write number)


@dataclasses.dataclass
class Plan:
    """The decision for one write. ``form`` None with ``refusal`` None: not an array, left alone."""

    write: Write
    scope: ScopeWrites
    form: Form | None = None
    refusal: Refusal | None = None
    disabled: bool = False  # the rule is switched off here: no finding, and the group stays as is
    param: str = ""  # set when the write rebinds a parameter of the scope's function

    @property
    def rewrites(self) -> bool:
        return self.form is not None and not self.disabled


@dataclasses.dataclass
class ModulePlan:
    plans: list[Plan]
    returned: dict[str, list[str]]  # function name -> parameters it now returns, in order
    already_returned: set[str]  # functions whose one written parameter already is their result
    public_reason: dict[str, str]  # function name -> why returning them is unsafe ("" when safe)


# Where the second name is made is where the sharing starts: a view (`row = x[i]`) or a binding.
ALIAS_HINT = ("make the second name a copy where it is made (`y = x.copy()`, `row = x[i].copy()` for a view), "
              "so the two no longer share memory, and hand the result back explicitly")


class Planner:
    def __init__(
        self,
        module: cst.Module,
        mutation: MutationAnalysis,
        builder: Builder,
        facts: Facts,
        enabled: Callable[[str, cst.CSTNode], bool],
        line_of: Callable[[cst.CSTNode], int],
    ):
        self.module = module
        self.mutation = mutation
        self.builder = builder
        self.facts = facts
        self.enabled = enabled
        self.line_of = line_of
        tree = facts.analysis.tree
        nodes = list(tree.walk(module))  # one walk, shared, in the order LibCST's visitors meet the nodes
        self.guarded = _index_error_guarded(nodes, tree)
        self.top_level = mutation.functions
        self.other_uses = _other_uses(nodes, set(self.top_level), line_of)
        self.calls = _calls(nodes, set(self.top_level))
        self.read_in_functions = _names_in_functions(nodes, tree)
        # jax.numpy keeps NumPy's float64 only under x64 (or the user chose float32 outright)
        self.keeps_float64 = facts.precision_is_float32 or enables_x64(module, facts.qualified)
        self.x64_allowed = enabled("JX113", module)

    # -- the whole module ------------------------------------------------------------------

    def run(self) -> ModulePlan:
        base = [
            (scope, write, self.judge(scope, write) if write.form != "helper" else None)
            for scope in self.mutation.scopes
            for write in scope.writes
        ]
        blocked: dict[tuple[str, str], str] = {}
        while True:
            plans, active = self.decide(base, blocked)
            newly = {key: why for key in active if key not in blocked and (why := self.blocker(key, plans))}
            if not newly:
                break
            blocked.update(newly)
        returned: dict[str, list[str]] = {}
        for function, param in sorted(active, key=lambda k: (k[0], self._param_index(*k))):
            if (function, param) not in blocked:
                returned.setdefault(function, []).append(param)
        public = {
            name: (
                f"`{name}` is public: code outside this module that calls it still expects "
                f"{_names(params)} to be changed in place and will not see the new values"
                if not name.startswith("_") else ""
            )
            for name, params in returned.items()
        }
        for plan in plans:
            if plan.rewrites and not plan.form.unsafe_because:
                owners = [plan.write.callee] if plan.write.form == "helper" else []
                if plan.param:
                    owners.append(_function_name(plan))
                plan.form.unsafe_because = next((public[o] for o in owners if public.get(o)), "")
        for name, reason in _share_unsafety(plans, self.line_of).items():
            if name in public and not public[name]:
                public[name] = reason
        already = {
            name for name, params in returned.items()
            if len(params) == 1 and returns_only(self.top_level[name], params[0])
        }
        return ModulePlan(plans, returned, already_returned=already, public_reason=public)

    def decide(self, base, blocked) -> tuple[list[Plan], set[tuple[str, str]]]:
        """Plans under the assumption that every (function, parameter) not in ``blocked`` works out."""
        active: set[tuple[str, str]] = set()
        plans: list[Plan] = []
        for scope, write, judged in base:
            plan = judged if judged is not None else Plan(write, scope)
            plan = dataclasses.replace(plan)
            plans.append(plan)
            function = scope.function.name.value if scope.function is not None else None
            if plan.param and function is not None and self.top_level.get(function) is not scope.function:
                plan.refusal = Refusal(
                    "JX107", f"`{function}` writes its parameter `{plan.param}` in place",
                    f"`{function}` is a method or a nested function, so its callers cannot be followed",
                    f"make `{function}` return `{plan.param}` and rebind it where it is called",
                )
                plan.form = None
            elif plan.param and function is not None:
                active.add((function, plan.param))
        # helper calls: a write of the argument when the callee really writes that parameter
        changed = True
        while changed:
            changed = False
            for plan in plans:
                write = plan.write
                if write.form != "helper" or plan.form or plan.refusal:
                    continue
                if (write.callee, write.param) not in active:
                    continue
                self.judge_helper(plan, blocked)
                function = _function_name(plan)
                if plan.param and function is not None and (function, plan.param) not in active:
                    if self.top_level.get(function) is plan.scope.function:
                        active.add((function, plan.param))
                    else:
                        plan.refusal = Refusal(
                            "JX107", f"`{function}` passes its parameter `{plan.param}` to a function that "
                            "writes it", f"`{function}` is a method or a nested function, so its callers "
                            "cannot be followed", f"make `{function}` return `{plan.param}` yourself",
                        )
                        plan.form = None
                changed = True
        for plan in plans:
            function = _function_name(plan)
            if plan.param and plan.form and (function, plan.param) in blocked:
                plan.refusal = Refusal(
                    "JX107",
                    f"`{function}` writes its parameter `{plan.param}` in place",
                    f"the caller sees that write in NumPy, and the new value cannot be handed back: "
                    f"{blocked[(function, plan.param)]}",
                    f"make `{function}` return `{plan.param}` and rebind it at every call site yourself",
                )
                plan.form = None
        _apply_groups(plans, self.line_of)
        return plans, active

    def blocker(self, key: tuple[str, str], plans: list[Plan]) -> str:
        """Why ``function`` cannot return its parameter (empty when it can)."""
        function, param = key
        node = self.top_level.get(function)
        if node is None:
            return f"`{function}` is not a function at the top of the module, so its callers cannot be followed"
        if node.asynchronous or _is_generator(node):
            return f"`{function}` is a generator or async function"
        if node.decorators:
            return f"`{function}` is decorated, and the decorator may change how it returns"
        if function in self.other_uses:
            return f"`{function}` is used at line {self.other_uses[function]} other than by a plain call"
        if not self.enabled("JX107", node):
            return "rule JX107 is switched off for this function"
        param_node = next(p for p in parameters(node) if p.name.value == param)
        if param_node.default is not None:
            return f"`{param}` has a default value, which the write changes for every later call in NumPy"
        for call in self.calls.get(function, ()):
            if any(arg.star for arg in call.args) or param not in dict(bind_arguments(
                [p.name.value for p in parameters(node)], call
            )):
                return f"the call at line {self.line_of(call)} does not pass `{param}` by name or position"
        taken_back = {
            id(plan.write.node.value) for plan in plans
            if plan.write.form == "helper" and plan.write.callee == function and plan.write.param == param
            and plan.form is not None and not plan.disabled
        }
        for call in self.calls.get(function, ()):
            if id(call) not in taken_back:
                return f"the call at line {self.line_of(call)} cannot take the new value back"
        for plan in plans:
            if plan.scope.function is node and plan.write.name == param and plan.refusal:
                return f"the write at line {self.line_of(plan.write.node)} cannot be rewritten"
            if plan.write.form == "helper" and plan.write.callee == function and plan.write.param == param:
                if plan.refusal or plan.disabled:
                    return f"the call at line {self.line_of(plan.write.node)} cannot take the new value back"
                if isinstance(plan.write.node, cst.Assign) and not returns_a_value(node):
                    return f"the call at line {self.line_of(plan.write.node)} uses the result, which is None"
        return ""

    # -- one write -------------------------------------------------------------------------

    def judge(self, scope: ScopeWrites, write: Write) -> Plan:
        plan = Plan(write, scope)
        what = target_kind(write, self.facts.kind)
        if what == "python":
            return plan  # a list, dict, static value: Python mutation, not an array
        if write.name is None:
            base = write.target.value if isinstance(write.target, cst.Subscript) else write.target
            if what == "array":
                plan.refusal = Refusal(
                    "JX110", f"`{code(base)}` is written in place",
                    f"the array is reached through `{code(base)}`, not a plain name: the rewrite can only "
                    "rebind a name, and other references to that array cannot be followed",
                    "index the array once (`x[i, j] = v` instead of `x[i][j] = v`)"
                    if isinstance(base, cst.Subscript)
                    else f"update a local array and assign it back explicitly (`{code(base)} = new_value`)",
                )
            else:
                plan.refusal = self.unknown_target(code(base))
            return plan
        if what == "unknown":
            plan.refusal = self.unknown_target(write.name)
            return plan
        not_numeric = write_refusal(self.facts.analysis, write.target, write.node)
        if not_numeric:
            plan.refusal = Refusal("JX114", f"`{write.name}` is not written with numbers only", not_numeric,
                                   "nothing to change: this is not array code jax can run; keep it on NumPy")
            return plan
        alias = self.alias_problem(scope, write)
        if alias:
            plan.refusal = Refusal(
                "JX110", f"`{write.name}` is written in place while other code can see its array", alias,
                ALIAS_HINT,
            )
            return plan
        if write.form in INDEXED_FORMS and id(write.node) in self.guarded:
            plan.refusal = Refusal(
                "JX112", f"the write to `{write.name}` is inside a `try` that catches IndexError",
                "NumPy raises IndexError out of bounds; JAX drops the write silently, so the handler would "
                "never run",
                "check the index explicitly before writing, then rerun jaxify",
            )
            return plan
        checked = write_difference(self.facts.analysis, write.target, write.node)
        if checked:
            plan.refusal = Refusal("JX115", f"the write to `{write.name}` relies on a NumPy check", checked,
                                   "make the check explicit (test the value or the matrix first), then rerun jaxify")
            return plan
        built = self.builder.build(write)
        if isinstance(built, Refusal):
            plan.refusal = built
            return plan
        if not self.keeps_float64 and self.builder.needs_wrap(write) and (
            built.convert or "jnp." in code(built.statement)
        ):
            # jax.numpy keeps a NumPy float64 array's precision only under x64 (JX113 switches it on)
            built.needs_x64 = True
            if not self.x64_allowed:
                built.unsafe_because = built.unsafe_because or (
                    f"`{write.name}` may be a NumPy float64 array and this module does not enable x64, so the "
                    "jax.numpy result would be float32 (JX113, which would switch x64 on, is deselected)"
                )
        built.unsafe_because = "; ".join(filter(None, [
            *self.copied_sharers(scope, write).values(),
            built.unsafe_because or write_assumption(self.facts.analysis, write.target, write.node),
        ]))
        plan.form = built
        plan.disabled = not self.enabled(built.code, write.node)
        if {ref.buffer.origin for ref in write.refs} == {"param"}:
            plan.param = write.name
        return plan

    @staticmethod
    def unknown_target(shown: str) -> Refusal:
        return Refusal(
            "JX111", f"cannot tell whether `{shown}` is an array",
            "the write is only rewritten when the analysis shows an array; lists, dicts and objects "
            "with `__setitem__` must stay as they are",
            f"if `{shown}` is an array, make that visible (create it with np.asarray or annotate it "
            "`np.ndarray`); if it is not, nothing needs to change",
        )

    def judge_helper(self, plan: Plan, blocked) -> None:
        write = plan.write
        shown = f"`{write.callee}(...)` writes its parameter `{write.param}` in place"
        if write.name is None:
            plan.refusal = Refusal(
                "JX107", shown, f"the argument `{code(write.target)}` is not a plain name, so it cannot be "
                "rebound to the value the function returns", "pass a local array and assign it back",
            )
            return
        if isinstance(write.node, cst.Assign) and not (
            len(write.node.targets) == 1 and isinstance(write.node.targets[0].target, cst.Name)
        ):
            plan.refusal = Refusal("JX107", shown, "the call's result is unpacked; jaxify cannot add the "
                                   "new value to that unpacking", "assign the result to one name first")
            return
        alias = self.alias_problem(plan.scope, write)
        if not alias and plan.scope.function is None and write.name in self.read_in_functions:
            alias = (f"`{write.name}` is also read as a global inside functions, which would see its old values "
                     "while the call runs")
        if alias:
            plan.refusal = Refusal("JX110", f"`{write.name}` is written in place by `{write.callee}`", alias,
                                   ALIAS_HINT)
            return
        if (write.callee, write.param) in blocked:
            plan.refusal = Refusal(
                "JX107", shown, f"`{write.callee}` cannot return it: {blocked[(write.callee, write.param)]}",
                f"rewrite `{write.callee}` to return the new array, then rerun jaxify",
            )
            return
        plan.form = Form("JX107", f"`{write.callee}` now returns `{write.param}`; the call rebinds `{write.name}`",
                         write.node, unsafe_because="; ".join(filter(None, self.copied_sharers(plan.scope, write).values())))
        plan.disabled = not self.enabled("JX107", write.node)
        if {ref.buffer.origin for ref in write.refs} == {"param"}:
            plan.param = write.name

    def alias_problem(self, scope: ScopeWrites, write: Write) -> str:
        """Why rebinding ``write.name`` would not reach everyone who sees the array (empty: it would)."""
        name = write.name
        if write.escapes:
            how = next(iter(write.escapes.values()))
            return f"`{name}`'s array is also held by {how}, which would keep the old values"
        sharers = sorted(set(write.sharers) - set(self.copied_sharers(scope, write)))
        if sharers:
            others = ", ".join(f"`{n}`" for n in sharers)
            return (f"{others} refer{'s' if len(sharers) == 1 else ''} to the same array as `{name}` "
                    "(an alias or a view): NumPy's write changes what they see, a rebinding would not")
        for ref in write.refs:
            origin = ref.buffer.origin
            if origin == "global" or name in scope.declared_global:
                return f"`{name}` is {ref.buffer.describe()} from outside this function; rebinding it here " \
                       "would not change it for the rest of the program"
            if origin == "unknown":
                return f"`{name}` refers to {ref.buffer.describe()}; jaxify cannot see who else holds it"
            if origin == "param" and (ref.view or ref.buffer.name != name):
                return f"`{name}` is a view of {ref.buffer.describe()}; the caller's array would keep its old values"
        return ""

    @staticmethod
    def copied_sharers(scope: ScopeWrites, write: Write) -> dict[str, str]:
        """The names sharing ``write``'s array only through element reads that copy (``tmp = x[i]``
        of a one-dimensional ``x``): name -> the assumption that makes it a copy, "" when proven."""
        if scope.elements is None:
            return {}
        return scope.elements.copied_holders(write.sharer_reads, {w.name for w in scope.writes if w.name})

    def _param_index(self, function: str, param: str) -> int:
        names = [p.name.value for p in parameters(self.top_level[function])] if function in self.top_level else []
        return names.index(param) if param in names else 0


def _function_name(plan: Plan) -> str | None:
    return plan.scope.function.name.value if plan.scope.function is not None else None


def _names(params: list[str]) -> str:
    return ", ".join(f"`{p}`" for p in params)


def _apply_groups(plans: list[Plan], line_of) -> None:
    """Every write of a name in a scope is rewritten, or none is."""
    groups: dict[tuple, list[Plan]] = {}
    for plan in plans:
        if plan.write.name is not None and (plan.form or plan.refusal):
            groups.setdefault(_group_key(plan), []).append(plan)
    for group in groups.values():
        stuck = next((p for p in group if p.refusal or p.disabled), None)
        if stuck is None:
            continue
        line = line_of(stuck.write.node)
        for plan in group:
            if plan.form is not None and not plan.disabled:
                plan.refusal = Refusal(
                    plan.form.code,
                    f"`{plan.write.name}` is written in place",
                    f"`{plan.write.name}` is also written at line {line}, which is not rewritten; rewriting only "
                    "some writes would mix NumPy and JAX arrays",
                    "fix the other write first (see its finding)",
                )
                plan.form = None


def _group_key(plan: Plan) -> tuple:
    """Writes that must be rewritten together: one name in one scope; a module-level array together
    with every function that writes it as a global."""
    name = plan.write.name
    if plan.scope.function is None or any(
        ref.buffer.origin == "global" and ref.buffer.name == name for ref in plan.write.refs
    ):
        return ("module", name)
    return (id(plan.scope), name)


def _share_unsafety(plans: list[Plan], line_of) -> dict[str, str]:
    """A fix that waits for ``--unsafe`` holds back every fix that only works together with it: the
    other writes of the same name, and a function's new return value together with its own writes
    and the call sites that take the value back. Returns the reason for each function involved."""
    parent: dict[object, object] = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    def keys(plan: Plan) -> list[object]:
        found: list[object] = [("name", _group_key(plan))]
        if plan.write.form == "helper":
            found.append(("function", plan.write.callee))
        if plan.param:
            found.append(("function", _function_name(plan)))
        return found

    rewriting = [plan for plan in plans if plan.write.name is not None and plan.rewrites]
    for plan in rewriting:
        first, *rest = keys(plan)
        for key in rest:
            parent[find(key)] = find(first)
    reasons: dict[object, Plan] = {}
    for plan in rewriting:
        if plan.form.unsafe_because:
            reasons.setdefault(find(keys(plan)[0]), plan)
    for plan in rewriting:
        unsafe = reasons.get(find(keys(plan)[0]))
        if unsafe is not None and not plan.form.unsafe_because:
            plan.form.unsafe_because = (
                f"it goes together with the fix at line {line_of(unsafe.write.node)}, which assumes "
                f"{unsafe.form.unsafe_because}"
            )
    functions: dict[str, str] = {}
    for plan in rewriting:
        for key in keys(plan)[1:]:
            unsafe = reasons.get(find(key))
            if unsafe is not None:
                functions.setdefault(key[1], unsafe.form.unsafe_because)
    return functions


def _index_error_guarded(nodes: list[cst.CSTNode], tree: TreeIndex) -> set[int]:
    """ids of the small statements inside a ``try`` whose handlers catch IndexError."""
    guarded: set[int] = set()
    for node in nodes:
        if type(node) is cst.Try and any(catches_index_error(h) for h in node.handlers):
            guarded.update(id(small) for inner in tree.walk(node.body)
                           if isinstance(inner, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
                           for small in inner.body)
    return guarded


def _other_uses(nodes: list[cst.CSTNode], functions: set[str], line_of) -> dict[str, int]:
    """Functions named anywhere except as the callee of a call statement or ``name = f(...)``."""
    allowed: set[int] = set()  # filled by each node before the nodes under it are met
    found: dict[str, int] = {}
    for node in nodes:
        kind = type(node)  # every node of the module: `is` costs far less than isinstance on LibCST's classes
        if kind in (cst.Expr, cst.Assign) and type(node.value) is cst.Call:
            allowed.add(id(node.value.func))
        elif kind is cst.FunctionDef:
            allowed.add(id(node.name))
        elif kind is cst.Attribute:
            allowed.add(id(node.attr))  # `jax.config.update` does not name a function `update`
        elif kind is cst.Name and node.value in functions and id(node) not in allowed and (
            node.value not in found
        ):
            found[node.value] = line_of(node)
    return found


def _names_in_functions(nodes: list[cst.CSTNode], tree: TreeIndex) -> set[str]:
    """Every name used inside a function (its body, parameters, decorators): the globals it may read."""
    found: set[str] = set()
    inside: set[int] = set()  # nodes of a function already read: a nested one is not read again
    for node in nodes:
        if type(node) is cst.FunctionDef and id(node) not in inside:
            for inner in tree.walk(node):
                inside.add(id(inner))
                if type(inner) is cst.Name:
                    found.add(inner.value)
    return found


def _calls(nodes: list[cst.CSTNode], functions: set[str]) -> dict[str, list[cst.Call]]:
    """Every call of each top-level function, by name."""
    found: dict[str, list[cst.Call]] = {}
    for node in nodes:
        if type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in functions:
            found.setdefault(node.func.value, []).append(node)
    return found


def _is_generator(function: cst.FunctionDef) -> bool:
    found = []

    class Yields(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_Lambda(self, node):
            return False

        def visit_Yield(self, node):
            found.append(node)

    visit(None, function, Yields())
    return bool(found)


def returns_only(function: cst.FunctionDef, param: str) -> bool:
    """True when every way out of ``function`` is ``return param`` (so callers already get it)."""
    found: list[cst.Return] = []

    class Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_Lambda(self, node):
            return False

        def visit_Return(self, node):
            found.append(node)

    visit(None, function, Returns())
    last = function.body.body[-1] if function.body.body else None
    ends_in_return = isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)
    return ends_in_return and all(isinstance(r.value, cst.Name) and r.value.value == param for r in found)


def returns_a_value(function: cst.FunctionDef) -> bool:
    found = []

    class Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is function

        def visit_Return(self, node):
            if node.value is not None and not (isinstance(node.value, cst.Name) and node.value.value == "None"):
                found.append(node)

    visit(None, function, Returns())
    return bool(found)

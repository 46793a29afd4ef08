"""Deciding how keys flow through a module: which functions take a key, where the root key comes
from, which draws are rewritten and which subkey each one uses.

The plan is made once per module, before any node is rewritten, because the decisions depend on
each other: a function can take a key only if every one of its callers can pass one, and a
caller can pass one only if it has a key itself (its own parameter, or a seed it turned into a
root key). That is a fixpoint that only ever removes functions, so it ends.

Draws and call sites consume subkeys; the statement holding them gets one split in front of it:
``key, sub = jax.random.split(key)`` (``key, sub1, sub2 = jax.random.split(key, 3)`` for several).
The key is rebound by that statement, so in a loop body it is carried from one iteration to the
next and every iteration draws with fresh keys; the loops codemod sees an ordinary carried value.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import libcst as cst

from jaxify.codemods.random_calls import NO_EQUIVALENT, SHUFFLES, STATE_ACCESS, is_none, jax_expression_problem, sampler_for, source
from jaxify.analysis.randomness import Draw, RandomFacts, RandomFunction, Stream
from jaxify.codemods.random_loop_keys import LoopDraws, plan_loop_draws

if TYPE_CHECKING:
    from jaxify.codemods.randomness import Randomness

CHANGES_NUMBERS = "the numbers drawn change, their distribution is kept"


@dataclasses.dataclass
class Plan:
    draws: dict[cst.Call, tuple[Draw, list[str]]] = dataclasses.field(default_factory=dict)
    calls: dict[cst.Call, tuple[str, str]] = dataclasses.field(default_factory=dict)  # -> (param, subkey)
    seeds: dict[cst.Call, str] = dataclasses.field(default_factory=dict)  # np.random.seed(s) -> key variable
    creations: set[cst.Call] = dataclasses.field(default_factory=set)  # default_rng(s) -> jax.random.key(s)
    splits: dict[cst.CSTNode, list[tuple[str, list[str]]]] = dataclasses.field(default_factory=dict)
    key_params: dict[cst.FunctionDef, str] = dataclasses.field(default_factory=dict)
    loops: LoopDraws = dataclasses.field(default_factory=LoopDraws)  # keys split before loops, batched draws

    @property
    def empty(self) -> bool:
        return not (self.draws or self.seeds or self.creations or self.key_params)


class Planner:
    def __init__(self, codemod: Randomness, facts: RandomFacts, module: cst.Module):
        self.codemod = codemod
        self.facts = facts
        self.module = module
        self.key_name = codemod.options.key_name
        self.plan = Plan()
        self.consumers: list[tuple[cst.Call, cst.CSTNode, str, int]] = []  # (call, statement, key var, n keys)
        self.draw_findings: dict[cst.Call, int] = {}  # draw -> the index of its finding

    # -- the whole plan ------------------------------------------------------------------------

    def make(self) -> Plan:
        for stream in self.facts.streams:
            self._plan_stream(stream)
        for call, method in self.facts.parameter_generators:
            if sampler_for("generator", method) or sampler_for("legacy", method) or method == "shuffle":
                self.codemod.refuse(
                    call, "JX208", f"`{source(call.func)}` draws from a generator the caller passes in",
                    reason="the caller's generator advances with every call; a key passed in would not, "
                    "so each call would need a fresh subkey from its caller",
                    hint="take a `key` parameter instead of the generator and split it in the caller",
                )
        self._plan_global_state()
        self._allocate_subkeys()
        self.plan.loops = plan_loop_draws(self)
        self._add_loop_notes()
        return self.plan

    def _add_loop_notes(self) -> None:
        """How a draw in a loop is made (batched before the loop, or per iteration and why) joins
        its finding, reported before the loops were planned."""
        findings = self.codemod.context.findings
        for call, note in self.plan.loops.notes.items():
            if call in self.draw_findings:
                at = self.draw_findings[call]
                findings[at] = dataclasses.replace(findings[at], message=findings[at].message + note)

    # -- Generator / RandomState objects -------------------------------------------------------

    def _plan_stream(self, stream: Stream) -> None:
        code, reason = self._stream_problem(stream)
        what = f"`{stream.name}` (a NumPy {'Generator' if stream.api == 'generator' else 'RandomState'})"
        if reason:
            self.codemod.refuse(stream.creation, code, f"{what} stays on NumPy", reason=reason, hint=_HINTS[code])
            return
        enabled = self.codemod.enabled
        if not enabled("JX203", stream.creation) or not all(enabled("JX202", d.call) for d in stream.draws):
            return
        unsafe = (
            f"code outside the class may use `{stream.name.replace('self.', 'obj.')}` as a NumPy generator"
            if stream.public else ""
        )
        seed = source(stream.seed)
        if not self.codemod.fix(
            stream.creation, "JX203",
            f"{what} becomes the key `jax.random.key({seed})`; each draw splits it: {CHANGES_NUMBERS}",
            unsafe_because=unsafe,
            hint="rename the attribute with a leading underscore if only the class uses it" if unsafe else _SEED_HINT,
        ):
            return
        self.plan.creations.add(stream.creation)
        for draw in stream.draws:
            self._rewrite_draw(draw, stream.name, "JX202")

    def _stream_problem(self, stream: Stream) -> tuple[str, str]:
        if stream.problem:
            return "JX208", stream.problem
        if stream.creation in self.facts.pinned_comments:
            return "JX207", f"the comment `{self.facts.pinned_comments[stream.creation]}` says its stream is pinned"
        if stream.seed is None or is_none(stream.seed) or self._may_be_none(stream.seed, stream.creation):
            return "JX208", "it is seeded from OS entropy (no seed, or a seed that may be None); JAX needs an explicit seed"
        for draw in stream.draws:
            code, reason = self._draw_problem(draw)
            if reason:
                return code, f"`{source(draw.call.func)}(...)`: {reason}"
        return "", ""

    # -- numpy's global state ------------------------------------------------------------------

    def _plan_global_state(self) -> None:
        draws = [d for d in self.facts.global_draws if d.name not in STATE_ACCESS and d.name != "seed"]
        state = [d for d in self.facts.global_draws if d.name in STATE_ACCESS]
        seeds = [d for d in self.facts.global_draws if d.name == "seed"]
        pinned = [d for d in seeds if d.call in self.facts.pinned_comments]
        if state or pinned:
            for d in state:
                self.codemod.refuse(
                    d.call, "JX208", f"`np.random.{d.name}` saves or restores NumPy's global random state",
                    reason="no np.random call in this module is rewritten: keys cannot replay a saved state",
                    hint=_HINTS["JX208"],
                )
            for d in pinned:
                self.codemod.refuse(
                    d.call, "JX207", "the global NumPy stream is pinned",
                    reason=f"the comment `{self.facts.pinned_comments[d.call]}` says tests pin the exact numbers; "
                    "no np.random call in this module is rewritten",
                    hint=_HINTS["JX207"],
                )
            return
        usable = []
        for draw in draws:
            code, reason = self._draw_problem(draw)
            if reason:
                self.codemod.refuse(draw.call, code, f"`{source(draw.call.func)}` stays on NumPy", reason=reason,
                                    hint=_HINTS[code])
            elif sampler_for(draw.api, draw.name) or draw.name == "shuffle":
                if self.codemod.enabled("JX201", draw.call):
                    usable.append(draw)
        _GlobalThreading(self, usable, seeds).run()

    def _draw_problem(self, draw: Draw) -> tuple[str, str]:
        if draw.name in STATE_ACCESS or draw.name == "seed":
            return "JX208", f"it reads or reseeds the generator's state (`{draw.name}`)"
        if draw.host:
            return "JX207", f"{draw.host}; host-side randomness stays on NumPy"
        if draw.name in NO_EQUIVALENT:
            return "JX206", f"`{draw.name}` has no jax.random sampler"
        if draw.place.problem:
            return "JX208", draw.place.problem
        if draw.name == "shuffle":
            return self._shuffle_problem(draw)
        sampler = sampler_for(draw.api, draw.name)
        if sampler is None:
            return ("JX206", f"`{draw.name}` is not in jaxify's NumPy -> jax.random table") if draw.stream else ("", "")
        problem = jax_expression_problem(sampler, draw.call)
        return ("JX206", problem) if problem is not None else ("", "")

    def _shuffle_problem(self, draw: Draw) -> tuple[str, str]:
        """``shuffle(x)`` becomes ``x = permutation(k, x)``: only for a bare statement on a local name
        nothing else refers to, since NumPy's in-place shuffle is seen through every alias."""
        statement = draw.place.statement
        expr = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        if not (isinstance(expr, cst.Expr) and expr.value is draw.call):
            return "JX208", "its in-place result is used inside an expression"
        problem = jax_expression_problem(SHUFFLES[draw.api], draw.call)
        if problem is not None:
            return "JX206", problem
        target = draw.call.args[0].value
        if not isinstance(target, cst.Name):
            return "JX208", "it shuffles a view or an attribute in place; a JAX permutation is a new array"
        alias = self.codemod.alias_problem(target, draw.place.function)
        return ("JX208", alias) if alias else ("", "")

    def _may_be_none(self, seed: cst.BaseExpression, at: cst.CSTNode) -> bool:
        """A seed that is a parameter defaulting to None (``def f(seed=None)``)."""
        if not isinstance(seed, cst.Name):
            return False
        function = self.codemod.analysis.function_of(at)
        if function is None:
            return False
        params = function.node.params
        return any(
            p.name.value == seed.value and p.default is not None and is_none(p.default)
            for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        )

    # -- shared by both kinds of stream --------------------------------------------------------

    def _rewrite_draw(self, draw: Draw, key_var: str, code: str) -> None:
        api = "np.random" if draw.stream is None else draw.stream.name
        if self.codemod.fix(
            draw.call, code,
            f"`{api}.{draw.name}` -> `jax.random` with a subkey of `{key_var}`: {CHANGES_NUMBERS}",
            hint="JAX draws float32/int32 unless jax_enable_x64 is set; NumPy draws float64/int64",
        ):
            self.draw_findings[draw.call] = len(self.codemod.context.findings) - 1
        keys = SHUFFLES[draw.api].keys if draw.name == "shuffle" else sampler_for(draw.api, draw.name).keys
        self.plan.draws[draw.call] = (draw, [])
        self.consumers.append((draw.call, draw.place.statement, key_var, keys))

    def _allocate_subkeys(self) -> None:
        """One split per statement and key variable, with subkey names free in that function."""
        by_statement: dict[cst.CSTNode, list[tuple[cst.Call, str, int]]] = {}
        for call, statement, key_var, count in self.consumers:
            by_statement.setdefault(statement, []).append((call, key_var, count))
        for statement, consumers in by_statement.items():
            consumers.sort(key=lambda c: self.codemod.position(c[0]))
            taken = self.names_near(statement) | {key_var for _, key_var, _ in consumers}
            total = sum(count for _, _, count in consumers)
            names = iter(_fresh_names("sub", total, taken))
            splits: dict[str, list[str]] = {}
            for call, key_var, count in consumers:
                subkeys = [next(names) for _ in range(count)]
                splits.setdefault(key_var, []).extend(subkeys)
                if call in self.plan.draws:
                    self.plan.draws[call] = (self.plan.draws[call][0], subkeys)
                else:
                    param, _ = self.plan.calls[call]
                    self.plan.calls[call] = (param, subkeys[0])
            self.plan.splits[statement] = list(splits.items())

    def names_near(self, statement: cst.CSTNode) -> set[str]:
        function = self.codemod.analysis.function_of(statement)
        if function is not None and function.node in self.facts.functions:
            return self.facts.functions[function.node].names | set(self.plan.key_params.values())
        return set(self.facts.module_names)

    def subkey_names(self, count: int, taken: set[str]) -> list[str]:
        return _fresh_names("sub", count, taken)

    def free_name(self, base: str, taken: set[str]) -> str:
        name = base
        while name in taken:
            name += "_"
        return name


def _fresh_names(base: str, count: int, taken: set[str]) -> list[str]:
    if count == 1 and base not in taken:
        return [base]
    names, index = [], 1
    while len(names) < count:
        if f"{base}{index}" not in taken:
            names.append(f"{base}{index}")
        index += 1
    return names


class _GlobalThreading:
    """The fixpoint for numpy's global state: functions that take a key, and where keys come from."""

    def __init__(self, planner: Planner, usable: list[Draw], seeds: list[Draw]):
        self.planner = planner
        self.codemod = planner.codemod
        self.facts = planner.facts
        self.usable = usable
        self.seeds = seeds
        self.blocked: dict[cst.FunctionDef, tuple[str, str]] = {}  # function -> (code, reason)

    def run(self) -> None:
        functions = self.facts.functions
        seeded = {}  # function -> its seed draw
        module_seed = None
        for seed in self.seeds:
            problem = self._seed_problem(seed)
            function = seed.place.function
            if problem:
                self.codemod.refuse(seed.call, "JX208", "this `np.random.seed` call cannot become a root key",
                                    reason=problem, hint=_HINTS["JX208"])
                if function is not None:
                    self.blocked[function] = ("JX208", "it seeds the global state where no root key can replace it")
                continue
            if function is None:
                module_seed = seed
            else:
                seeded[function] = seed
        candidates = set(functions) - set(self.blocked)
        drawing0 = self.facts.functions_drawing(self.usable, set(seeded), set(functions))
        drawing = self.facts.functions_drawing(self.usable, set(seeded), candidates)
        while True:
            removed = {f for f in drawing if self._cannot_take_key(functions[f], drawing, seeded, module_seed)}
            if not removed:
                break
            candidates -= removed
            drawing = self.facts.functions_drawing(self.usable, set(seeded), candidates)
        self._report_functions(drawing0, drawing, seeded)
        self._emit(drawing, seeded, module_seed)

    def _seed_problem(self, seed: Draw) -> str:
        if not seed.call.args or is_none(seed.call.args[0].value) or len(seed.call.args) > 1:
            return "it seeds from OS entropy (no seed given); JAX needs an explicit seed"
        if self.planner._may_be_none(seed.call.args[0].value, seed.call):
            return "its seed is a parameter that defaults to None (OS entropy)"
        statement = seed.place.statement
        expr = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not (isinstance(expr, cst.Expr) and expr.value is seed.call):
            return "it is not a statement of its own"
        function = seed.place.function
        block_owner = self._block_owner(statement)
        same_scope = [s for s in self.seeds if s.place.function is function]
        if len(same_scope) > 1:
            return "the global state is seeded more than once here"
        if function is not None and block_owner is not function:
            return "it is inside a loop or branch; only a seed at the top level of a function becomes its root key"
        if function is None and not (block_owner is self.planner.module or _is_main_guard(block_owner)):
            return "it is inside a loop, branch or class body at module level"
        if function is not None:
            index = self._index_in_block(statement)
            early = [d for d in self._sites_in(function) if not self._after(d, statement, index)]
            if early:
                return f"it comes after a draw at line {self.codemod.position(early[0])[0]}"
        return ""

    def _sites_in(self, function: cst.FunctionDef) -> list[cst.CSTNode]:
        """Where ``function`` draws: its own draws and its calls to functions that draw."""
        info = self.facts.functions[function]
        drawing = self.facts.functions_drawing(self.usable, set(), set(self.facts.functions))
        return [d.call for d in info.draws if d in self.usable] + [c.call for c in info.calls if c.callee in drawing]

    def _after(self, node: cst.CSTNode, statement: cst.CSTNode, index: int) -> bool:
        """``node`` runs after ``statement``: it sits in a later statement of the same block."""
        parents = self.codemod.parents
        child, parent = node, parents.get(node)
        block = parents.get(statement)
        while parent is not None:
            if parent is block:
                return list(block.body).index(child) > index if child in block.body else False
            child, parent = parent, parents.get(parent)
        return False

    def _index_in_block(self, statement: cst.CSTNode) -> int:
        block = self.codemod.parents.get(statement)
        return list(block.body).index(statement)

    def _block_owner(self, statement: cst.CSTNode) -> cst.CSTNode:
        block = self.codemod.parents.get(statement)
        return block if isinstance(block, cst.Module) else self.codemod.parents.get(block)

    def _module_key_covers(self, node: cst.CSTNode, module_seed: Draw | None) -> bool:
        if module_seed is None:
            return False
        statement = module_seed.place.statement
        return self._after(node, statement, self._index_in_block(statement))

    def _cannot_take_key(self, info: RandomFunction, drawing: set, seeded: dict, module_seed) -> bool:
        if info.node in seeded:
            return False
        if info.node in self.blocked:
            return True
        reason = ""
        decorators = [source(d.decorator) for d in info.node.decorators
                      if source(d.decorator) not in _TRANSPARENT_DECORATORS]
        if decorators:
            reason = f"it is decorated with `@{decorators[0]}`, which may not pass a new `key` argument through"
        elif info.value_uses:
            use = info.value_uses[0]
            line = self.codemod.position(use)[0]
            if isinstance(use, cst.Attribute):
                reason = (f"it is called as `{source(use)}(...)` at line {line}, a caller outside its class "
                          "that this rewrite does not follow")
            else:
                reason = (f"it is used as a value at line {line} (a callback, thread target or map), "
                          "so its callers cannot be given a key")
        for site in info.callers:
            if reason:
                break
            caller = site.place.function
            line = self.codemod.position(site.call)[0]
            if site.place.problem:
                reason = f"its call at line {line}: {site.place.problem}"
            elif caller is None and not self._module_key_covers(site.call, module_seed):
                reason = f"it is called at module level (line {line}) where no seeded key exists"
            elif caller is not None and caller not in drawing:
                reason = f"its caller `{caller.name.value}` (line {line}) gets no key to pass on (see the finding there)"
        if reason:
            self.blocked[info.node] = ("JX208", reason)
            return True
        code = "JX205" if info.public else "JX204"
        if not self.codemod.enabled(code, info.node) or (info.public and not self.codemod.options.unsafe):
            self.blocked[info.node] = (code, "")
            return True
        return False

    # -- findings and the plan -----------------------------------------------------------------

    def _report_functions(self, drawing0: set, drawing: set, seeded: dict) -> None:
        for node in self._in_source_order(drawing0 - drawing):
            code, reason = self.blocked.get(
                node, ("JX208", "it draws only through functions it calls, and those are left as they are"))
            info = self.facts.functions[node]
            if code == "JX205" and not reason:
                self.codemod.fix(node, "JX205", self._key_param_message(info), unsafe_because=_PUBLIC_REASON,
                                 hint=_HINTS["JX205"])
            elif reason:
                self.codemod.refuse(node, code, f"`{info.name}` draws from NumPy's global state and is left as it is",
                                    reason=reason, hint=_HINTS[code])

    def _in_source_order(self, nodes: set) -> list:
        """``nodes`` in the order the module defines them: a set of nodes iterates in an order that
        changes from run to run, and so would the findings."""
        return [node for node in self.facts.functions if node in nodes]

    def _key_param_message(self, info: RandomFunction) -> str:
        key = self.planner.free_name(self.planner.key_name, info.names)
        text = f"`{info.name}` draws random numbers: it takes a keyword-only `{key}` and splits it for each draw"
        if not info.callers:
            text += "; results now depend on the key the caller passes"
        return text

    def _emit(self, drawing: set, seeded: dict, module_seed: Draw | None) -> None:
        functions = self.facts.functions
        key_vars: dict[cst.FunctionDef | None, str] = {}
        for node in self._in_source_order(drawing):
            info = functions[node]
            key_vars[node] = self.planner.free_name(self.planner.key_name, info.names)
            if node in seeded:
                continue
            self.planner.plan.key_params[node] = key_vars[node]
            code = "JX205" if info.public else "JX204"
            self.codemod.fix(node, code, self._key_param_message(info),
                             unsafe_because=_PUBLIC_REASON if info.public else "",
                             hint="update callers in other modules to pass a key" if info.public else "")
        module_sites = [d for d in self.usable if d.place.function is None]
        module_calls = [s for node in drawing if node not in seeded for s in functions[node].callers
                        if s.place.function is None]
        if module_seed is not None and (module_sites or module_calls):
            key_vars[None] = self.planner.free_name(self.planner.key_name, self.facts.module_names)
        for function, seed in seeded.items():
            if function in drawing:
                self._emit_seed(seed, key_vars[function])
        if None in key_vars:
            self._emit_seed(module_seed, key_vars[None])
        for draw in self.usable:
            function = draw.place.function
            if function is None and not self._module_key_covers(draw.call, module_seed):
                self.codemod.refuse(draw.call, "JX208", f"`{source(draw.call.func)}` at module level stays on NumPy",
                                    reason="no `np.random.seed(...)` comes before it, so there is no root key",
                                    hint="seed the module (np.random.seed(0)) before drawing, then run jaxify again")
            elif function is None or function in drawing:
                self.planner._rewrite_draw(draw, key_vars[function], "JX201")
        for node in drawing:
            if node in seeded:
                continue
            for site in functions[node].callers:
                caller = site.place.function
                self.planner.plan.calls[site.call] = (key_vars[node], "")
                self.planner.consumers.append((site.call, site.place.statement, key_vars[caller], 1))

    def _emit_seed(self, seed: Draw, key_var: str) -> None:
        self.planner.plan.seeds[seed.call] = key_var
        self.codemod.fix(
            seed.call, "JX203",
            f"`np.random.seed({source(seed.call.args[0].value)})` -> root key `{key_var}`, passed down to every draw: "
            f"{CHANGES_NUMBERS}",
            hint=_SEED_HINT,
        )


def _is_main_guard(node: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":``"""
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    text = source(node.test).replace("'", '"').replace(" ", "")
    return text in ('__name__=="__main__"', '"__main__"==__name__')


_TRANSPARENT_DECORATORS = frozenset({"staticmethod", "classmethod", "jax.jit", "jit", "functools.wraps"})
_SEED_HINT = "without jax_enable_x64, JAX truncates seeds of 2**32 or more to their low 32 bits"
_PUBLIC_REASON = "callers outside this module must now pass `key=`; calls inside this module are updated"
_HINTS = {
    "JX204": "",
    "JX205": "run with --unsafe to add the parameter; update callers in other modules to pass a key",
    "JX206": "keep this draw on NumPy outside jit, or write the sampler from jax.random primitives",
    "JX207": "host-side randomness can stay on NumPy; draw array data with jax.random instead",
    "JX208": "thread a jax.random key through this code by hand",
}

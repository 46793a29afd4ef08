"""NumPy random state -> explicit `jax.random` keys threaded through the program (JX2xx).

## What it does
Rewrites every draw from NumPy's random generators into the matching `jax.random` call, with
exactly NumPy's arguments (`size` -> `shape`, `loc`/`scale` -> an affine transform, NumPy's
bounds, integer results kept integer; the table is in `random_calls.py`), and gives every
draw a key it has never used:

- JX201: a draw from NumPy's global state (`np.random.normal(...)`, any import form) ->
  `jax.random.normal(sub, shape)` after `key, sub = jax.random.split(key)`.
- JX202: a draw from a `RandomState` / `Generator` held in a variable (`rng.normal(...)`,
  `self.rng.integers(...)`) -> the variable now holds a key, split before each draw.
- JX203: the seeding place (`np.random.seed(s)`, `np.random.default_rng(s)`,
  `np.random.RandomState(s)`) -> the root key `jax.random.key(s)`.
- JX204: a private function that draws, directly or through the functions it calls (a fixpoint
  over the module's call graph), gets a keyword-only `key` parameter; every call site splits a
  fresh subkey and passes it.
- JX205: the same for a public function, whose callers outside the module cannot be seen:
  unsafe, applied with `--unsafe`.
- `shuffle(x)` -> `x = jax.random.permutation(sub, x)`.

A draw inside a loop splits the key inside the loop body, so the key is carried from iteration to
iteration (the loops codemod sees an ordinary carried value) and no key is ever used twice. In a
`for i in range(...)` loop whose only uses of the key are drawing statements directly in its body,
the key is split before the loop instead, so the loop no longer carries it (see
`random_loop_keys.py`): a draw that reads only the index and what the loop leaves unchanged is
made for every iteration at once before the loop (`normal_draws = jax.vmap(...)(jnp.arange(n))`,
read as `normal_draws[i]`), and the others fold the index into a loop key
(`sub = jax.random.fold_in(key_per_i, i)`), so otherwise independent iterations become one
`jax.vmap`. Each such draw's finding says which it got and why.

## Why JAX needs it
JAX has no global random state: a draw is a pure function of its key, and the same key gives the
same numbers. Hidden state cannot be traced by `jax.jit`, and a reused key silently correlates
draws. Every rewrite changes the exact numbers drawn (JAX's generator is not NumPy's) while
keeping their distribution; every finding says so.

## Example
Before:

    def _noise(n):
        return np.random.normal(0.0, 0.5, size=n)

    def simulate(n, seed):
        np.random.seed(seed)
        x = np.random.rand(n)
        return x + _noise(n)

After:

    def _noise(n, *, key):
        key, sub = jax.random.split(key)
        return 0.5 * jax.random.normal(sub, n)

    def simulate(n, seed):
        key = jax.random.key(seed)
        key, sub = jax.random.split(key)
        x = jax.random.uniform(sub, (n,))
        key, sub = jax.random.split(key)
        return x + _noise(n, key=sub)

## Decisions
- The key parameter is keyword-only: it can be added after any parameters (defaults, `*args`)
  and call sites pass it by name, so no positional argument moves.
- A class holding a seeded generator in an attribute (`self.rng = np.random.default_rng(0)`)
  keeps the attribute and stores the key in it (`self.rng = jax.random.key(0)`); each method
  splits it (`self.rng, sub = jax.random.split(self.rng)`). Callers and signatures stay as they
  are. A public attribute (no leading underscore) makes this unsafe: code outside the class may
  use it as a NumPy generator.
- A seed is kept as a NumPy seed as well when some NumPy draws in the module stay on NumPy.
- `loc`/`scale` are written out only when given and not the literal neutral value (0 / 1); the
  affine form is parenthesized wherever an operator could bind into it.
- Randomness runs before the NumPy namespace codemod, so values drawn with `jax.random` count as
  traced there and their NumPy calls move in the same run.
- Calls in other modules of the same run are not updated: a public function's new keyword-only
  `key` is why JX205 is unsafe.

## When it refuses
Draws with no JAX sampler (`hypergeometric`, `zipf`, `vonmises`, ... : JX206); draws serving
host-side code (shuffling a Python list, choosing among strings, values written to files or
printed, streams a comment says are pinned: JX207); and places a key cannot be threaded (JX208):
saved and restored state (`get_state`/`set_state` keep the whole module on NumPy), generators
passed around, passed in as parameters, created without a seed (or with a seed that may be
None) or read outside their class, draws in comprehensions, lambdas or `while` tests, functions
used as callbacks or thread targets or wrapped by decorators, seeds inside loops or after draws,
module-level draws with no seed, `shuffle` of a parameter or of an array other names refer to.
A function whose caller cannot pass a key (because the caller is refused or is not rewritten
without `--unsafe`) is left alone too, and its finding names that caller. The stdlib `random` module is left alone; where
it feeds a NumPy/JAX call it is reported (JX209).
"""

from __future__ import annotations

import libcst as cst

from jaxify.analysis.providers import ParentProvider, Scopes
from jaxify.analysis.randomness import RandomFacts, random_facts
from jaxify.codemod import Codemod
from jaxify.codemods.random_calls import SHUFFLES, is_atom, jax_expression, sampler_for, source
from jaxify.codemods.random_loop_keys import batch_statement, fold_key, keys_split_before, split_statements
from jaxify.codemods.random_threading import Plan, Planner
from jaxify.rules import Rule, Safety

RULES = (
    Rule("JX201", "global-random-to-key", Safety.SAFE,
         "Draw from NumPy's global random state rewritten as `jax.random` with a fresh subkey."),
    Rule("JX202", "generator-to-key", Safety.SAFE,
         "Draw from a `RandomState` / `Generator` object rewritten as `jax.random` with a fresh subkey."),
    Rule("JX203", "seed-to-root-key", Safety.SAFE,
         "`np.random.seed(s)` / `default_rng(s)` / `RandomState(s)` becomes the root key `jax.random.key(s)`."),
    Rule("JX204", "key-parameter", Safety.SAFE,
         "A private function that draws takes a keyword-only `key`; its call sites pass fresh subkeys."),
    Rule("JX205", "public-key-parameter", Safety.UNSAFE,
         "A public function that draws takes a keyword-only `key`; callers outside the module must pass one."),
    Rule("JX206", "no-jax-sampler", Safety.REPORT,
         "A NumPy draw with no exact `jax.random` equivalent is left on NumPy."),
    Rule("JX207", "host-side-randomness", Safety.REPORT,
         "Randomness serving host-side code (lists, strings, files, pinned streams) is left on NumPy."),
    Rule("JX208", "untraceable-random-state", Safety.REPORT,
         "Random state that cannot be threaded as keys (saved state, callbacks, unseeded, escaping) is left alone."),
    Rule("JX209", "stdlib-random-into-arrays", Safety.REPORT,
         "The stdlib `random` module feeds array code; it is not rewritten."),
)

_NUMPY_RANDOM_MODULES = ("numpy", "numpy.random")
# Places that hold a whole expression, where a replacement needs no parentheses.
_WHOLE_VALUE_PLACES = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Arg, cst.Expr, cst.Element,
                       cst.DictElement)


class Randomness(Codemod):
    RULES = RULES

    @classmethod
    def applies_to(cls, text: str) -> bool:
        return "random" in text

    @property
    def parents(self):
        return self.wrapper.resolve(ParentProvider)  # resolved once; the wrapper caches it

    @property
    def scopes(self):
        return self.wrapper.resolve(Scopes)

    # -- planning ------------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        facts = random_facts(self.wrapper, self.analysis.qualified_name)
        self.facts: RandomFacts = facts
        self.plan: Plan = Planner(self, facts, node).make()
        rewritten = set(self.plan.draws)
        self.numpy_draws_left = any(
            d.name != "seed" and d.call not in rewritten for d in facts.global_draws
        )
        for call in facts.stdlib_into_arrays:
            self.refuse(
                call, "JX209", f"stdlib `{source(call.func)}` feeds an array computation",
                reason="the stdlib generator is not NumPy's; rewriting it into jax.random would change its "
                "stream and is not done automatically",
                hint="draw the values with np.random / jax.random (size=...) instead of one by one",
            )
        self.uses_jnp = False
        self.batch_statements: dict[cst.Call, cst.BaseStatement] = {}  # batched draw -> its statement

    def rewrites_below(self) -> bool:
        # every leave_* hook below reads one of the plan's tables, filled by visit_Module
        plan, loops = self.plan, self.plan.loops
        return bool(plan.draws or plan.calls or plan.seeds or plan.creations or plan.splits or plan.key_params
                    or loops.iteration_keys or loops.batched or loops.keys_before or loops.batches_before)

    def alias_problem(self, name: cst.Name, function: cst.FunctionDef | None) -> str:
        """Why rebinding ``name`` to a new array would hide an in-place change from other names:
        a parameter, a global, a binding that may share data, or an alias or container made
        before the shuffle (anywhere, when the shuffle runs in a loop)."""
        shuffle_at = self.position(name)
        in_loop = self._in_loop(name, function)
        scope = self.scopes.get(name)
        if scope is None:
            return f"`{name.value}` cannot be resolved"
        for assignment in scope[name.value]:
            node = getattr(assignment, "node", None)
            parent = self.parents.get(node) if node is not None else None
            if isinstance(node, cst.Param) or isinstance(parent, cst.Param):
                return (f"`{name.value}` is a parameter: NumPy shuffles the caller's array in place, "
                        "a JAX permutation is a new array the caller would not see")
            if assignment.scope is not scope:
                return f"`{name.value}` is not a local of this function"
            grand = self.parents.get(parent) if parent is not None else None
            value = grand.value if isinstance(grand, cst.Assign) else None
            if not isinstance(value, (cst.Call, cst.BinaryOperation)):
                return f"`{name.value}` is not bound to a freshly created array here"
            for access in assignment.references:
                if not in_loop and self.position(access.node) >= shuffle_at:
                    continue
                outer = self.parents.get(access.node)
                if isinstance(outer, (cst.Assign, cst.Element, cst.DictElement, cst.AugAssign)) \
                        and getattr(outer, "value", None) is access.node:
                    return f"`{name.value}` is also reachable through another name or a container"
        return ""

    def _in_loop(self, node: cst.CSTNode, function: cst.FunctionDef | None) -> bool:
        parent = self.parents.get(node)
        while parent is not None and parent is not function:
            if isinstance(parent, (cst.For, cst.While)):
                return True
            parent = self.parents.get(parent)
        return False

    # -- rewriting -----------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self.plan.loops.batched:
            batched = self.plan.loops.batched[original_node]
            draw, _ = self.plan.draws[original_node]
            one = jax_expression(sampler_for(draw.api, draw.name), updated_node, [fold_key(batched)])
            self.batch_statements[original_node] = cst.parse_statement(batch_statement(batched, source(one)) + "\n")
            return cst.parse_expression(f"{batched.array}[{batched.position}]")
        if original_node in self.plan.draws:
            draw, keys = self.plan.draws[original_node]
            if draw.name == "shuffle":
                return updated_node  # rewritten as a statement by leave_SimpleStatementLine
            expression = jax_expression(sampler_for(draw.api, draw.name), updated_node, keys)
            return self._expression(self._parenthesized(original_node, expression))
        if original_node in self.plan.creations:
            seed = next(arg.value for arg in updated_node.args if arg.keyword is None or arg.keyword.value == "seed")
            return self._expression(cst.parse_expression(f"jax.random.key({source(seed)})"))
        if original_node in self.plan.calls:
            param, sub = self.plan.calls[original_node]
            key_arg = cst.Arg(
                keyword=cst.Name(param), value=cst.Name(sub),
                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
            )
            return updated_node.with_changes(args=[*updated_node.args, key_arg])
        return updated_node

    def _parenthesized(self, original: cst.Call, expression: cst.BaseExpression) -> cst.BaseExpression:
        """A call is an atom; the affine form that replaces it (``loc + scale * normal(...)``)
        needs parentheses wherever an operator could bind to part of it."""
        if is_atom(expression) or isinstance(self.parents.get(original), _WHOLE_VALUE_PLACES):
            return expression
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def _expression(self, expression: cst.BaseExpression) -> cst.BaseExpression:
        self.uses_jnp = self.uses_jnp or "jnp." in source(expression)
        return expression

    def leave_SimpleStatementLine(self, original_node, updated_node):
        lines = [self._rewrite_statement(original_node, updated_node)]
        if isinstance(lines[0], cst.FlattenSentinel):
            lines = list(lines[0].nodes)
        return self._with_splits(original_node, lines)

    def leave_If(self, original_node, updated_node):
        return self._with_splits(original_node, [updated_node])

    def leave_For(self, original_node, updated_node):
        before = [
            cst.parse_statement(keys_split_before(key_var, loop_keys) + "\n")
            for key_var, loop_keys in self.plan.loops.keys_before.get(original_node, [])
        ]
        per_iteration = [cst.parse_statement(split_statements(loop_key, subkeys) + "\n")
                         for loop_key, subkeys in self.plan.loops.iteration_keys.get(original_node, [])]
        if per_iteration:  # at the top of the body, before any `break` or `continue` can skip it
            updated_node = updated_node.with_changes(
                body=updated_node.body.with_changes(body=[*per_iteration, *updated_node.body.body]))
        batched = self.plan.loops.batches_before.get(original_node, [])
        before += [self.batch_statements[call] for call in batched]
        self.uses_jnp = self.uses_jnp or bool(batched)
        if before:
            before[0] = before[0].with_changes(leading_lines=updated_node.leading_lines)
            updated_node = updated_node.with_changes(leading_lines=())
        placed = self._with_splits(original_node, [updated_node])
        if not before:
            return placed
        return cst.FlattenSentinel([*before, *(placed.nodes if isinstance(placed, cst.FlattenSentinel) else [placed])])

    def leave_With(self, original_node, updated_node):
        return self._with_splits(original_node, [updated_node])

    def _rewrite_statement(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        """A seed becomes the root key; ``shuffle(x)`` becomes ``x = permutation(sub, x)``."""
        first = original.body[0] if len(original.body) == 1 else None
        call = first.value if isinstance(first, cst.Expr) else None
        if call in self.plan.seeds:
            key_var = self.plan.seeds[call]
            seed = source(call.args[0].value)
            root = cst.parse_statement(f"{key_var} = jax.random.key({seed})\n")
            if self.numpy_draws_left:  # the draws left on NumPy keep their seed
                return cst.FlattenSentinel([updated, root])
            return root.with_changes(leading_lines=updated.leading_lines, trailing_whitespace=updated.trailing_whitespace)
        if call in self.plan.draws:
            draw, keys = self.plan.draws[call]
            if draw.name == "shuffle":
                target = source(call.args[0].value)
                permutation = jax_expression(SHUFFLES[draw.api], updated.body[0].value, keys)
                assign = cst.Assign([cst.AssignTarget(cst.Name(target))], permutation)
                return updated.with_changes(body=[assign])
        return updated

    def _with_splits(self, original: cst.CSTNode, lines: list[cst.BaseStatement]):
        splits = self.plan.splits.get(original)
        if not splits:
            return lines[0] if len(lines) == 1 else cst.FlattenSentinel(lines)
        statements = []
        for key_var, subkeys in splits:
            count = "" if len(subkeys) == 1 else f", {len(subkeys) + 1}"
            text = f"{key_var}, {', '.join(subkeys)} = jax.random.split({key_var}{count})"
            statements.append(cst.parse_statement(text + "\n"))
        statements[0] = statements[0].with_changes(leading_lines=lines[0].leading_lines)
        lines[0] = lines[0].with_changes(leading_lines=())
        return cst.FlattenSentinel([*statements, *lines])

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        key = self.plan.key_params.get(original_node)
        if key is None:
            return updated_node
        params = updated_node.params
        star = params.star_arg if isinstance(params.star_arg, (cst.Param, cst.ParamStar)) else cst.ParamStar()
        new = cst.Param(cst.Name(key))
        return updated_node.with_changes(
            params=params.with_changes(star_arg=star, kwonly_params=[*params.kwonly_params, new])
        )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.plan.empty:
            return updated_node
        self.add_import("jax")
        if self.uses_jnp:
            self.add_import("jax.numpy", asname="jnp")
        for module, obj, asname in self._numpy_random_imports(original_node):
            self.remove_import(module, obj, asname)
        return updated_node

    @staticmethod
    def _numpy_random_imports(module: cst.Module):
        """The module's imports of numpy / numpy.random names, to drop once nothing uses them."""
        for statement in module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        name = source(alias.name)
                        if name in _NUMPY_RANDOM_MODULES:
                            yield name, None, alias.evaluated_alias
                elif isinstance(small, cst.ImportFrom) and small.module is not None \
                        and source(small.module) in _NUMPY_RANDOM_MODULES and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        yield source(small.module), source(alias.name), alias.evaluated_alias

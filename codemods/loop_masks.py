"""Straight-line form of a loop body whose statements run under traced conditions: `if`s on
values the loop computes (its index included), `continue` and `break` anywhere in them.

A JAX loop primitive traces its body once, so a body cannot choose at trace time which statements
run. This builder keeps every statement and makes each assignment take effect only where Python
would have run it (AutoGraph's rule for `if` inside a converted loop):

- ``if c: A else: B`` binds ``c`` once, then runs ``A`` under the mask ``c`` and ``B`` under
  ``not c`` (nested ``if``s and ``elif`` chains combine their masks);
- an assignment ``x = e`` under a mask ``m`` becomes ``x = jnp.where(m, e, x)``; an item write
  ``x = x.at[k].add(v)`` keeps its one-element form, ``x.at[k].add(jnp.where(m, v, 0))`` (``set``,
  ``min`` and ``max`` fall back to the element's own value ``x[k]``), so a masked write costs what
  the write costs, never a select over the whole array;
- a name with no value yet (a temporary first assigned in one branch) is assigned plainly: every
  later read of it on a path Python would take sees the value Python gives it;
- ``continue`` under a mask ``m`` clears the iteration's ``alive`` flag where ``m`` holds; every
  later statement of the iteration runs under ``alive``; ``break`` also sets the loop's ``done``
  flag, which the caller carries and tests (``lax.while_loop``, see
  :func:`jaxify.codemods.loop_builders.counted_while_with_flag`).

Both sides of every condition are evaluated, which is exact for the side-effect-free statements a
loop body may hold (the loop analysis refuses the others); a side whose value is NaN or out of
range for the iterations that do not take it is discarded by the select.

What it cannot express it refuses with the statement and why: a Python loop, `return` or `yield`
under a traced condition, assignments to anything other than names, a chained comparison in a
test. A JAX loop (an inner loop already converted) under a condition runs every iteration, its
result kept only where the condition holds.
"""

from __future__ import annotations

from typing import Callable, Sequence

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.loop_blockers import Blocker
from jaxify.analysis.loop_flow import reads_of, target_names
from jaxify.analysis.loops import at_update
from jaxify.analysis.tree import visit
from jaxify.codemods.loop_cond import cond_lines, costly
from jaxify.codemods.loop_syntax import traced_test

AUGMENTED = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "//=": "//", "%=": "%", "**=": "**", "@=": "@",
             "&=": "&", "|=": "|", "^=": "^", "<<=": "<<", ">>=": ">>"}

# The value that leaves an element unchanged under each `.at[...]` write; None: the element itself.
NEUTRAL = {"add": "0", "subtract": "0", "multiply": "1", "mul": "1", "divide": "1", "power": "1",
           "set": None, "min": None, "max": None}


class Blocked(Exception):
    def __init__(self, node: cst.CSTNode, reason: str):
        super().__init__(reason)
        self.blocker = Blocker(node, reason)


def needs_masks(body: Sequence[cst.CSTNode], traced: set[str]) -> bool:
    """Whether ``body`` holds a `continue`/`break` of its own loop or an `if` on a traced name."""
    finder = _ControlFlow(traced)
    for statement in body:
        visit(None, statement, finder)
    return finder.found


class _ControlFlow(cst.CSTVisitor):
    def __init__(self, traced: set[str]):
        self.traced = traced
        self.found = False

    def visit_If(self, node: cst.If) -> None:
        self.found |= bool(set(reads_of(node.test)) & self.traced)

    def visit_Break(self, node: cst.Break) -> None:
        self.found = True

    def visit_Continue(self, node: cst.Continue) -> None:
        self.found = True

    def visit_For(self, node: cst.For) -> bool:
        return False  # a nested loop's jumps are its own

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


class MaskedBody:
    """Lowers one loop body. ``traced``: names whose value the loop computes (its index included);
    ``defined``: names that hold a value when an iteration starts (carried names, the index);
    ``fresh``: makes a name the module does not use."""

    def __init__(self, traced: set[str], defined: set[str], fresh: Callable[[str], str], resolve):
        self.traced = set(traced)
        self.defined = set(defined)
        self.fresh = fresh
        self.resolve = resolve
        self.alive: str | None = None  # False once the iteration met `continue` or `break`
        self.done: str | None = None  # True once the loop met `break` (carried by the caller)
        self.conds = 0  # `if`s lowered as one `lax.cond` (a costly side: codemods/loop_cond.py)

    def lower(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        lowered = self._block(body, None)
        # an `alive` update after which nothing reads it (a `break` that ends the body) is dead
        while self.alive is not None and lowered and _assigns(lowered[-1], self.alive):
            lowered.pop()
        return lowered

    # -- statements -------------------------------------------------------------------------

    def _mask(self, branch: str | None) -> str | None:
        if branch is None or self.alive is None:
            return branch or self.alive
        return f"jnp.logical_and({self.alive}, {branch})"

    def _block(self, body: Sequence[cst.BaseStatement], branch: str | None) -> list[cst.BaseStatement]:
        lowered: list[cst.BaseStatement] = []
        for statement in body:
            if isinstance(statement, cst.If):
                lowered += self._if(statement, branch)
            elif isinstance(statement, cst.SimpleStatementLine):
                parts, jumped = self._line(statement, branch)
                lowered += parts
                if jumped:
                    return lowered  # the rest of this block never runs
            elif isinstance(statement, cst.FunctionDef):  # a converted inner loop's body: defining it does nothing
                self.defined.add(statement.name.value)
                lowered.append(statement)
            elif branch is None and self.alive is None:
                lowered.append(statement)  # runs unconditionally; its assignments need no mask
                self.defined |= _assigned(statement)
            else:
                raise Blocked(statement, f"a `{type(statement).__name__.lower()}` statement under a traced condition")
        return lowered

    def _if(self, node: cst.If, branch: str | None) -> list[cst.BaseStatement]:
        if not set(reads_of(node.test)) & self.traced and not needs_masks([node], self.traced):
            if branch is None and self.alive is None:
                self.defined |= _assigned(node)  # as good as assigned for the masks that follow
                return [node]  # decided when the body is traced: stays a Python `if`
        test = traced_test(node.test, self.resolve)
        if test is None:
            raise Blocked(node.test, "a chained comparison in a traced `if`")
        if branch is None and self.alive is None and costly([node], self.resolve):
            lines = cond_lines(node, self.defined, self.fresh, test)
            if lines is not None:  # only the side taken runs (codemods/loop_cond.py)
                self.defined |= _assigned(node)
                self.conds += 1
                return lines
        condition = self.fresh("cond")
        lines = [_line(f"{condition} = {test}", node.leading_lines)]
        taken = condition if branch is None else _and(branch, condition)
        lines += self._branch(node.body.body, taken)
        if node.orelse is not None:
            not_taken = f"jnp.logical_not({condition})" if branch is None else _and(branch, f"jnp.logical_not({condition})")
            orelse = node.orelse
            lines += self._branch([orelse] if isinstance(orelse, cst.If) else orelse.body.body, not_taken)
        return lines

    def _branch(self, body: Sequence[cst.BaseStatement], mask: str) -> list[cst.BaseStatement]:
        """``body`` under ``mask``, bound to a name first when it is a combination."""
        if mask.startswith("jnp."):
            name = self.fresh("mask")
            return [_line(f"{name} = {mask}"), *self._block(body, name)]
        return self._block(body, mask)

    def _line(self, line: cst.SimpleStatementLine, branch: str | None) -> tuple[list[cst.BaseStatement], bool]:
        lowered: list[cst.BaseStatement] = []
        comments = line.leading_lines
        for small in line.body:
            mask = self._mask(branch)
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, (cst.Continue, cst.Break)):
                lowered += self._jump(small, branch, comments)
                return lowered, True
            if isinstance(small, (cst.Assign, cst.AugAssign)):
                lowered += [_line(text, comments) for text in self._assignment(small, mask)]
            elif isinstance(small, cst.Expr) and mask is None:
                lowered.append(_line(code_of(small), comments))
            elif isinstance(small, cst.Expr):
                continue  # a side-effect-free expression (the loop analysis refused the others)
            else:
                raise Blocked(small, f"`{code_of(small).split()[0]}` under a traced condition")
            comments = ()
        return lowered, False

    def _jump(self, jump: cst.BaseSmallStatement, branch: str | None, comments) -> list[cst.BaseStatement]:
        if branch is None:
            raise Blocked(jump, f"an unconditional `{code_of(jump)}`")
        lines = []
        if isinstance(jump, cst.Break):
            stop = self._mask(branch)
            if self.done is None:
                self.done = self.fresh("done")
                lines.append(_line(f"{self.done} = {stop}", comments))
            else:
                lines.append(_line(f"{self.done} = jnp.logical_or({self.done}, {stop})", comments))
            comments = ()
        if self.alive is None:
            self.alive = self.fresh("alive")
            lines.append(_line(f"{self.alive} = jnp.logical_not({branch})", comments))
        else:
            lines.append(_line(f"{self.alive} = jnp.logical_and({self.alive}, jnp.logical_not({branch}))", comments))
        return lines

    def _assignment(self, small: cst.Assign | cst.AugAssign, mask: str | None) -> list[str]:
        if isinstance(small, cst.AugAssign):
            operator = code_of(small.operator).strip()
            if not isinstance(small.target, cst.Name) or operator not in AUGMENTED:
                raise Blocked(small, f"`{code_of(small)}` under a traced condition")
            targets = [small.target]
            value = f"{small.target.value} {AUGMENTED[operator]} {_operand(small.value)}"
        else:
            targets = [t.target for t in small.targets]
            value = code_of(small.value)
        if mask is None or self._splits_a_key(small):
            # a key split under a mask advances anyway: the draws it feeds are masked, and a key
            # kept by `jnp.where` would be used twice (the numbers differ, the distribution does not)
            text = " = ".join([*(code_of(t) for t in targets), value])
            for target in targets:
                self.defined |= set(target_names(target))
            return [text]
        if len(targets) == 1 and isinstance(targets[0], cst.Name):
            return [self._masked(targets[0].value, value, small, mask)]
        if not all(isinstance(t, (cst.Name, cst.Tuple)) for t in targets):
            raise Blocked(small, f"`{code_of(small)}` under a traced condition")
        names = [n for t in targets for n in target_names(t)]
        if not self.defined & set(names):  # temporaries of this branch: nothing to keep
            self.defined |= set(names)
            return [" = ".join([*(code_of(t) for t in targets), value])]
        if any(not isinstance(e.value, cst.Name) for t in targets if isinstance(t, cst.Tuple) for e in t.elements):
            raise Blocked(small, f"`{code_of(small)}` under a traced condition")
        # the values first (a swap `a, b = b, a` reads the old ones), then each name under the mask
        temporaries = {name: self.fresh(f"{name}_new") for name in names}
        renamed = [code_of(t.visit(_Rename(temporaries))) for t in targets]
        lines = [" = ".join([*renamed, value])]
        return lines + [self._masked(name, temporaries[name], None, mask) for name in names]

    def _splits_a_key(self, small: cst.Assign | cst.AugAssign) -> bool:
        value = small.value
        # the randomness codemod wrote this call in the same pass: it may not resolve yet
        return isinstance(small, cst.Assign) and isinstance(value, cst.Call) and "jax.random.split" in (
            self.resolve(value.func), code_of(value.func))

    def _masked(self, name: str, value: str, small, mask: str) -> str:
        if name not in self.defined or value == f"jnp.asarray({name})":
            self.defined.add(name)
            # a temporary of this branch (no earlier value to keep), or the same values as an array
            return f"{name} = {value}"
        update = at_update(small.value) if isinstance(small, cst.Assign) else None
        if update is not None and update[0] == name and update[2] in NEUTRAL:
            _, index, method, operand = update
            neutral = NEUTRAL[method] or code_of(cst.Subscript(value=cst.Name(name), slice=index))
            return f"{name} = {code_of(small.value.func)}(jnp.where({mask}, {code_of(operand)}, {neutral}))"
        return f"{name} = jnp.where({mask}, {value}, {name})"


def _assigns(statement: cst.CSTNode, name: str) -> bool:
    return m.matches(statement, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name(name))])]))


def _assigned(statement: cst.CSTNode) -> set[str]:
    names: set[str] = set()
    for small in m.findall(statement, m.AssignTarget() | m.AugAssign()):
        names |= set(target_names(small.target))
    return names


class _Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.names.get(updated_node.value, updated_node.value))


def _and(left: str, right: str) -> str:
    return f"jnp.logical_and({left}, {right})"


def _operand(value: cst.BaseExpression) -> str:
    text = code_of(value)
    return text if isinstance(value, (cst.Name, cst.Call, cst.Attribute, cst.Subscript, cst.Integer, cst.Float)) else f"({text})"


def _line(text: str, comments: Sequence[cst.EmptyLine] = ()) -> cst.SimpleStatementLine:
    line = cst.parse_statement(text + "\n")
    return line.with_changes(leading_lines=[c for c in comments if c.comment is not None])

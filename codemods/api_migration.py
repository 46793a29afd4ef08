"""JX5xx: deprecated and removed JAX and NumPy APIs -> their current spellings.

## What it does
Rewrites references to APIs that current JAX or NumPy removed or renamed, resolved by qualified
name in every import form (``import jax``, ``import jax as j``, ``from jax import tree_map``,
``from jax.tree_util import tree_map as tm``):

- JX501 the pytree API: ``jax.tree_map``, ``jax.tree_flatten``, ... and ``jax.tree_util.tree_*``
  (``tree_multimap`` included) -> ``jax.tree.*``; with ``--target-jax`` older than 0.4.25 (no
  ``jax.tree``) -> ``jax.tree_util.tree_*`` instead.
- JX502 removed ``jax.numpy`` aliases: ``jnp.product`` -> ``jnp.prod``, ``jnp.NINF`` -> ``-jnp.inf``,
  ``jnp.in1d(a, b)`` -> ``jnp.isin(a, b).ravel()``, ``jnp.fix`` -> ``jnp.trunc``, ...
- JX503 names NumPy 2 removed: ``np.float_`` -> ``np.float64``, ``np.NaN`` -> ``np.nan``,
  ``np.product`` -> ``np.prod``, ``np.asfarray(x)`` -> ``np.asarray(x, dtype=float)``,
  ``np.msort(a)`` -> ``np.sort(a, axis=0)``, ``np.trapz`` -> ``np.trapezoid``, ...
- JX504 other removed JAX API with an exact replacement: ``from jax.config import config`` ->
  ``from jax import config``, ``import jax.config`` -> ``import jax``,
  ``jnp.percentile(..., interpolation=)`` -> ``method=``, ``jnp.clip(x, a_min=lo, a_max=hi)`` ->
  ``jnp.clip(x, lo, hi)`` (positions work on every JAX version), ``pjit(f)`` -> ``jax.jit(f)``,
  ``jax.experimental.enable_x64()`` -> ``jax.enable_x64(True)``, ``DeviceArray`` / ``KeyArray``
  in annotations -> ``jax.Array``. Elsewhere ``DeviceArray`` ->
  ``jax.Array``, ``jax.clear_backends`` -> ``jax.clear_caches`` and ``jax.linear_util`` ->
  ``jax.extend.linear_util`` are unsafe fixes (each finding says what differs).
- JX505 removed JAX API with no mechanical replacement (``xmap``, ``pmap``, ``host_callback``,
  ``device_put_sharded``, ``xla_computation``, ...): a finding that says what to use instead.
- JX506 a statement ``x.at[i].set(v)`` whose result is thrown away.

Imports a rewrite leaves unused are removed; a needed ``import jax`` is added once.

## Why JAX needs it
Legacy JAX code stops at the first removed name: ``jax.tree_map`` raises AttributeError on
JAX >= 0.6, ``np.float_`` on NumPy >= 2. A JAX array is immutable, so ``x.at[i].set(v)`` on its
own line computes a new array and drops it: the update the author meant never happens.

## Example
Before:

    import jax
    import numpy as np
    from jax.tree_util import tree_multimap

    grads = jax.tree_map(lambda g: g.astype(np.float_), grads)
    params = tree_multimap(lambda p, g: p - 0.1 * g, params, grads)
    total = np.product(shape)

After:

    import jax
    import numpy as np

    grads = jax.tree.map(lambda g: g.astype(np.float64), grads)
    params = jax.tree.map(lambda p, g: p - 0.1 * g, params, grads)
    total = np.prod(shape)

## When it refuses
- Code inside a ``try: ... except (ImportError, AttributeError):`` compatibility shim, and
  names bound by imports inside such a shim, are left alone without a finding.
- A name that may be the removed API or something else (bound in several ways) is reported.
- ``np.asfarray(x, dtype)`` with a dtype that is not visibly floating or complex; ``np.msort``,
  ``in1d`` and ``pjit`` used other than in a plain call (a bare ``@pjit`` decorator is rewritten);
  ``pjit`` with shardings (it resolved bare PartitionSpecs against ``with mesh:``, ``jax.jit``
  does not); ``np.cast`` and ``np.find_common_type`` (no exact replacement): reported, not
  rewritten.
- A replacement that needs ``jax`` / ``numpy`` where that name means something else is reported.
- ``obj.x.at[i].set(v)`` as a statement is reported; only ``x.at[i].set(v)`` on a plain name that
  is bound in the same function (or at module level) gets the unsafe fix ``x = x.at[i].set(v)``;
  assigning a global or an enclosing function's name would make it local instead.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ExpressionContext
from libcst.metadata.scope_provider import ImportAssignment
from jaxify.analysis.names import QualifiedNames
from jaxify.analysis.providers import ExpressionContexts, Scopes, kept_tree
from jaxify.analysis.tree import visit

from jaxify.codemods import api_calls
from jaxify.codemods.compat_shims import ShimImports, is_compat_shim
from jaxify.codemods.api_tables import (
    DISCARDED_AT,
    JAX_API,
    BY_POSITION,
    KEYWORD_HISTORY,
    KEYWORD_RENAMES,
    MANUAL,
    REMOVED_SUBMODULE_IMPORTS,
    TRIGGER,
    Form,
    Mapping,
    lookup_prefix,
    mappings,
)
from jaxify.codemod import Codemod
from jaxify.codemods.precision import X64_SWITCH
from jaxify.rules import Rule, Safety

AT_UPDATES = frozenset({"set", "add", "subtract", "multiply", "mul", "divide", "power", "min", "max", "apply"})


@dataclasses.dataclass
class Reference:
    """An expression that names a replacement, and the import bookkeeping it needs once chosen."""

    expr: cst.BaseExpression | None
    replaces_root: bool = False  # the old reference's root name is gone: its import may be unused
    needs_import: str | None = None  # a top-level module to import
    reason: str = ""  # why there is no expression


def dotted(base: cst.BaseExpression | None, path: str) -> cst.BaseExpression:
    """``base.a.b`` for ``path`` "a.b" (just the path when ``base`` is None)."""
    expr = base
    for part in path.split(".") if path else ():
        expr = cst.Name(part) if expr is None else cst.Attribute(value=expr, attr=cst.Name(part))
    assert expr is not None
    return expr


def parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def root_name(expr: cst.BaseExpression) -> cst.Name | None:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr if isinstance(expr, cst.Name) else None


class ApiMigration(Codemod):
    RULES = (
        Rule(
            "JX501", "removed-tree-api", Safety.SAFE,
            "`jax.tree_map` and the other removed pytree functions -> `jax.tree.*` (or `jax.tree_util`).",
            doc="""`jax.tree_X` (removed in 0.6.0), `jax.tree_util.tree_multimap` (removed in 0.3.16)
            and `jax.tree_util.tree_X` become `jax.tree.X`, which takes the same arguments
            (`is_leaf`, several trees for `map`, `initializer` for `reduce`). With `--target-jax`
            older than 0.4.25 they become `jax.tree_util.tree_X` instead.""",
        ),
        Rule(
            "JX502", "removed-jnp-alias", Safety.SAFE,
            "Removed `jax.numpy` aliases (`product`, `alltrue`, `NINF`, `in1d`, `trapz`, `fix`, ...) -> current names.",
        ),
        Rule(
            "JX503", "numpy2-removed-name", Safety.SAFE,
            "Names NumPy 2 removed (`np.float_`, `np.NaN`, `np.product`, `np.asfarray`, ...) -> current names.",
        ),
        Rule(
            "JX504", "removed-jax-api", Safety.SAFE,
            "Other removed JAX API with an exact replacement (`jax.config` import, `interpolation=`, `pjit`, ...).",
            doc="""`DeviceArray` / `KeyArray` -> `jax.Array` outside annotations (isinstance checks
            change for tracers), `jax.clear_backends` -> `jax.clear_caches` and `jax.linear_util` ->
            `jax.extend.linear_util` are unsafe fixes: each finding names the difference to check.""",
        ),
        Rule(
            "JX505", "removed-jax-api-manual", Safety.REPORT,
            "Removed JAX API with no mechanical replacement (`xmap`, `pmap`, `host_callback`, ...): "
            "what to use instead.",
        ),
        Rule(
            "JX506", "discarded-at-update", Safety.UNSAFE,
            "`x.at[i].set(v)` as a statement throws the updated array away; `x = x.at[i].set(v)` was meant.",
            doc="""The fix assigns the result back to the name, which changes what the program
            does (the original never updated anything): it is applied only with `--unsafe`.""",
        ),
    )
    METADATA_DEPENDENCIES = (Scopes, ExpressionContexts)

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        self.table = mappings(self.options.target_jax)
        self._names = QualifiedNames(wrapper)
        self._shim_depth = 0
        self._annotation_depth = 0
        self._shim_imports: set[int] = set()
        self._module_aliases: dict[str, str] = {}  # module -> the name a module-level import binds it to
        self._tight: set[int] = set()  # nodes where a unary minus would need parentheses
        self._call_funcs: set[int] = set()  # the ``func`` of every call
        self._decorators: set[int] = set()  # bare decorators: ``@pjit``

    @classmethod
    def applies_to(cls, text: str) -> bool:
        # The x64 switch the NumPy and in-place codemods add names today's `jax.config`, not the
        # removed submodule the trigger looks for: on its own it is no work for this codemod.
        return TRIGGER.search(text.replace(X64_SWITCH, "")) is not None

    # -- what a node refers to -------------------------------------------------------------

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self._names.all_names(node)}

    def _bound_in_shim(self, name: cst.Name) -> bool:
        scope = self.get_metadata(Scopes, name, None)
        if scope is None or name.value not in scope:
            return False
        return any(id(assignment.node) in self._shim_imports for assignment in scope[name.value])

    def _resolve(self, node: cst.BaseExpression) -> tuple[Mapping | None, bool]:
        """The Mapping ``node`` refers to, and whether it may also refer to something else."""
        # sorted: a name bound twice has two qualified names, and a set's order changes per run
        found = [self.table.get(name) for name in sorted(self.qualified_names(node))]
        known = [mapping for mapping in found if mapping is not None]
        if not known:
            return None, False
        root = root_name(node)
        if root is not None and self._bound_in_shim(root):
            return None, False
        rewrites = {(mapping.form, mapping.new, mapping.call) for mapping in known}
        return known[0], len(known) < len(found) or len(rewrites) > 1

    # -- building replacements ----------------------------------------------------------------

    def _reference_to(self, original: cst.BaseExpression, updated: cst.BaseExpression, path: str) -> Reference:
        """How to name ``path`` at ``original``'s place.

        Reuses the reference's own base when it names a prefix of ``path`` (``jnp.product`` ->
        ``jnp.prod``), else a module-level import alias of a prefix, else the top-level module.
        """
        base_original, base_updated = original, updated
        while isinstance(base_original, cst.Attribute):
            base_original, base_updated = base_original.value, base_updated.value
            names = self.qualified_names(base_original)
            if len(names) == 1 and path.startswith(next(iter(names)) + "."):
                return Reference(dotted(base_updated, path[len(next(iter(names))) + 1:]))
        scope = self.get_metadata(Scopes, original, None)

        def bound(name: str) -> set[str]:
            return {q.name for q in scope.get_qualified_names_for(name)} if scope is not None else set()

        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            alias = self._module_aliases.get(module)
            if alias and bound(alias) == {module}:
                return Reference(dotted(cst.Name(alias), ".".join(parts[end:])), replaces_root=True)
        top = parts[0]
        top_bound = bound(top)
        if any(name != top and not name.startswith(top + ".") for name in top_bound):
            return Reference(None, reason=f"`{top}` names something else here")
        # ``import jax.numpy`` binds ``jax`` too: no second import then
        return Reference(dotted(None, path), replaces_root=True, needs_import=None if top_bound else top)

    def _commit(self, original: cst.BaseExpression, reference: Reference) -> None:
        """The import bookkeeping of a rewrite that was decided."""
        if reference.needs_import:
            self.add_import(reference.needs_import)
        if reference.replaces_root and (root := root_name(original)) is not None:
            self._remove_import_of(root)

    def _remove_import_of(self, name: cst.Name) -> None:
        """Schedule removal of the import that bound ``name``, if the rewrite left it unused."""
        scope = self.get_metadata(Scopes, name, None)
        if scope is None or name.value not in scope:
            return
        for assignment in scope[name.value]:
            if not isinstance(assignment, ImportAssignment):
                continue
            statement = assignment.node
            if isinstance(statement, cst.ImportFrom):
                if statement.relative or isinstance(statement.names, cst.ImportStar) or statement.module is None:
                    continue
                module = get_full_name_for_node(statement.module)
                for alias in statement.names:
                    if (alias.evaluated_alias or alias.evaluated_name) == name.value:
                        self.remove_import(module, alias.evaluated_name, alias.evaluated_alias)
            else:
                for alias in statement.names:
                    if (alias.evaluated_alias or alias.evaluated_name.split(".")[0]) == name.value:
                        self.remove_import(alias.evaluated_name, asname=alias.evaluated_alias)

    def _replacement(self, original, updated, mapping: Mapping) -> Reference:
        """The new expression for a RENAME / NEGATED / LITERAL mapping."""
        if mapping.form is Form.LITERAL:
            reference = Reference(cst.parse_expression(mapping.new), replaces_root=True)
        else:
            reference = self._reference_to(original, updated, mapping.new)
            if reference.expr is not None and mapping.form is Form.NEGATED:
                reference.expr = cst.UnaryOperation(operator=cst.Minus(), expression=reference.expr)
        if reference.expr is None:
            return reference
        if updated.lpar:
            reference.expr = reference.expr.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        elif isinstance(reference.expr, cst.UnaryOperation) and id(original) in self._tight:
            reference.expr = parenthesized(reference.expr)
        return reference

    @staticmethod
    def _message(mapping: Mapping, new: str) -> str:
        return f"`{mapping.old}`: {mapping.history}; use `{new}`"

    def _decide(self, node: cst.CSTNode, mapping: Mapping, message: str) -> bool:
        safe_here = mapping.safe_in_annotations and self._annotation_depth > 0
        unsafe_because = "" if safe_here else mapping.unsafe_because
        return self.fix(node, mapping.code, message, unsafe_because=unsafe_because, hint=mapping.hint)

    def _refuse_manual(self, node: cst.CSTNode, mapping: Mapping) -> None:
        self.refuse(node, mapping.code, f"`{mapping.old}`: {mapping.history}", reason=MANUAL, hint=mapping.hint)

    # -- visiting -------------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        shims = ShimImports()
        visit(kept_tree(self.wrapper), node, shims)
        self._shim_imports = shims.imports
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if alias.evaluated_alias:
                            self._module_aliases.setdefault(alias.evaluated_name, alias.evaluated_alias)
                        elif "." not in alias.evaluated_name:
                            self._module_aliases.setdefault(alias.evaluated_name, alias.evaluated_name)

    def visit_Try(self, node: cst.Try) -> None:
        self._shim_depth += is_compat_shim(node)

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self._shim_depth -= is_compat_shim(original_node)
        return updated_node

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._annotation_depth += 1

    def leave_Annotation(self, original_node: cst.Annotation, updated_node: cst.Annotation) -> cst.Annotation:
        self._annotation_depth -= 1
        return updated_node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._tight.add(id(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._tight.add(id(node.value))

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        self._tight.add(id(node.expression))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Power):
            self._tight.add(id(node.left))

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._decorators.add(id(node.decorator))

    def visit_Call(self, node: cst.Call) -> None:
        self._tight.add(id(node.func))
        self._call_funcs.add(id(node.func))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._leave_reference(original_node, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return self._leave_reference(original_node, updated_node)

    def _leave_reference(self, original, updated):
        context = self.get_metadata(ExpressionContexts, original, None)
        if self._shim_depth or context is not ExpressionContext.LOAD:
            return updated  # a shim, or a name being bound (``def tree_map``), not a reference
        mapping, ambiguous = self._resolve(original)
        if mapping is None:
            return updated
        if ambiguous:
            self.refuse(
                original, mapping.code,
                f"`{get_full_name_for_node(original)}` may be `{mapping.old}` or something else",
                reason="the name is bound in more than one way", hint="bind it once, to the current API",
            )
            return updated
        if isinstance(original, cst.Name) and mapping.in_imports:
            return updated  # the import statement that binds it is renamed instead
        if mapping.form is Form.REPORT:
            self._refuse_manual(original, mapping)
            return updated
        bare_decorator = mapping.call in api_calls.BARE_DECORATORS and id(original) in self._decorators
        if mapping.form is Form.CALL and not bare_decorator:
            if id(original) not in self._call_funcs:
                self.refuse(
                    original, mapping.code, f"`{mapping.old}`: {mapping.history}",
                    reason="its replacement takes other arguments, so only a direct call can be rewritten",
                    hint=f"call `{mapping.new}` with the matching arguments",
                )
            return updated
        display = f"-{mapping.new}" if mapping.form is Form.NEGATED else mapping.new
        message = self._message(mapping, display)
        reference = self._replacement(original, updated, mapping)
        if reference.expr is None:
            self.refuse(original, mapping.code, message, reason=reference.reason, hint=f"use `{display}` by hand")
            return updated
        if not self._decide(original, mapping, message):
            return updated
        self._commit(original, reference)
        return reference.expr

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self._shim_depth:
            return updated_node
        mapping, ambiguous = self._resolve(original_node.func)
        if mapping is not None and not ambiguous and mapping.form is Form.CALL:
            return self._rewrite_call(original_node, updated_node, mapping)
        return self._rename_keywords(original_node, updated_node)

    def _rewrite_call(self, original: cst.Call, updated: cst.Call, mapping: Mapping) -> cst.BaseExpression:
        message = self._message(mapping, mapping.new)
        reference = self._reference_to(original.func, updated.func, mapping.new)
        if reference.expr is None:
            self.refuse(original, mapping.code, message, reason=reference.reason)
            return updated
        new = api_calls.CALL_REWRITES[mapping.call](updated, reference.expr, original, self.qualified_names)
        if isinstance(new, str):
            self.refuse(original, mapping.code, message, reason=new, hint=f"rewrite it by hand with `{mapping.new}`")
            return updated
        if not self._decide(original, mapping, message):
            return updated
        self._commit(original.func, reference)
        return new

    def _rename_keywords(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """Old keywords of functions that still exist: renamed, or passed by position."""
        names = self.qualified_names(original.func)
        if len(names) != 1:
            return updated
        (function,) = names
        renames = KEYWORD_RENAMES.get(function, {})
        old_names = BY_POSITION.get(function, ())
        used = {arg.keyword.value for arg in updated.args if arg.keyword is not None}
        stale = sorted(used & (set(renames) | set(old_names)), key=[*renames, *old_names].index)
        if not stale:
            return updated
        if renames:
            advice = ", ".join(f"`{renames[name]}=`" for name in stale)
            clash = used & {renames[name] for name in stale}
            new = (
                "the call passes both the old and the new keyword"
                if clash
                else updated.with_changes(args=api_calls.rename_keywords(updated.args, renames))
            )
        else:
            advice = "positional arguments"
            new = api_calls.by_position(updated, old_names)
        message = f"`{function}`: {', '.join(f'`{name}=`' for name in stale)} {KEYWORD_HISTORY[function]}; use {advice}"
        if isinstance(new, str):
            self.refuse(original, JAX_API, message, reason=new, hint=f"pass each argument once, as {advice}")
            return updated
        if not self.fix(original, JAX_API, message):
            return updated
        return new

    # -- imports -------------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # names in an import statement are bindings, not references

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def _import_mapping(self, qualified_name: str) -> Mapping | None:
        mapping = lookup_prefix(self.table, qualified_name)
        if mapping is None or not (mapping.in_imports or mapping.form is Form.REPORT):
            return None
        return mapping

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        if self._shim_depth:
            return updated_node
        names = []
        for alias in updated_node.names:
            old = alias.evaluated_name
            submodule = REMOVED_SUBMODULE_IMPORTS.get(old)
            mapping = submodule or self._import_mapping(old)
            if mapping is None:
                names.append(alias)
            elif mapping.form is Form.REPORT:
                self._refuse_manual(original_node, mapping)
                names.append(alias)
            elif submodule is not None and alias.asname is not None:
                self.refuse(
                    original_node, mapping.code, f"`import {old} as ...`: {mapping.history}",
                    reason="the alias named the removed submodule, which has no replacement module",
                    hint=f"import `{mapping.new}` and use its attributes",
                )
                names.append(alias)
            else:
                new = mapping.new + old[len(mapping.old):]
                if self._decide(original_node, mapping, self._message(mapping, f"import {new}")):
                    alias = alias.with_changes(name=dotted(None, new))
                names.append(alias)
        return updated_node.with_changes(names=names)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if self._shim_depth or original_node.relative or original_node.module is None:
            return updated_node
        if isinstance(original_node.names, cst.ImportStar):
            return updated_node
        module = get_full_name_for_node(original_node.module)
        targets = set()
        new_names = []
        mapping = None
        reported = set()
        for alias in original_node.names:
            old = f"{module}.{alias.evaluated_name}"
            found = self._import_mapping(old)
            if found is None:
                targets.add(None)
                new_names.append(alias)
                continue
            if found.form is Form.REPORT:
                if found.old not in reported:
                    self._refuse_manual(original_node, found)
                    reported.add(found.old)
                targets.add(None)
                new_names.append(alias)
                continue
            mapping = found
            new_module, _, new_name = (found.new + old[len(found.old):]).rpartition(".")
            targets.add(new_module)
            if new_name != alias.evaluated_name:
                bound = alias.evaluated_alias or alias.evaluated_name
                alias = alias.with_changes(name=cst.Name(new_name), asname=cst.AsName(name=cst.Name(bound)))
            new_names.append(alias)
        if mapping is None:
            return updated_node
        message = self._message(mapping, mapping.new)
        if len(targets) > 1:
            self.refuse(
                original_node, mapping.code, message,
                reason="the names of this import now live in different modules",
                hint="split the import, one statement per module",
            )
            return updated_node
        if not self._decide(original_node, mapping, message):
            return updated_node
        (new_module,) = targets
        return updated_node.with_changes(module=dotted(None, new_module), names=new_names)

    # -- discarded .at updates -------------------------------------------------------------------

    def _bound_here(self, node: cst.CSTNode, name: str) -> bool:
        """Whether ``name`` is assigned in the scope of ``node`` itself (a parameter, a local)."""
        scope = self.get_metadata(Scopes, node, None)
        return scope is not None and any(assignment.scope is scope for assignment in scope.assignments[name])

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.BaseSmallStatement:
        call = original_node.value
        if not m.matches(
            call,
            m.Call(
                func=m.Attribute(
                    value=m.Subscript(value=m.Attribute(attr=m.Name("at"))),
                    attr=m.Name(m.MatchIfTrue(lambda name: name in AT_UPDATES)),
                )
            ),
        ):
            return updated_node
        receiver = call.func.value.value.value
        method = call.func.attr.value
        message = (
            f"the result of `.at[...].{method}(...)` is thrown away: JAX arrays are immutable, so nothing is updated"
        )
        if not isinstance(receiver, cst.Name):
            self.refuse(
                original_node, DISCARDED_AT, message,
                reason="the updated array is not assigned, and the target is not a plain name",
                hint="assign the result, e.g. `obj.x = obj.x.at[i].set(v)`",
            )
            return updated_node
        if not self._bound_here(original_node, receiver.value):
            self.refuse(
                original_node, DISCARDED_AT, message,
                reason=f"`{receiver.value}` is not a local name here: assigning it would make it local "
                "and break the read before it",
                hint=f"assign the result where `{receiver.value}` is defined, or return it",
            )
            return updated_node
        if not self.fix(
            original_node, DISCARDED_AT, message,
            unsafe_because=f"assumes `{receiver.value} = {receiver.value}.at[...]...` was meant; the rewrite makes "
            "an update happen that the original code never made, and other names for the old array keep its value",
        ):
            return updated_node
        return cst.Assign(targets=[cst.AssignTarget(target=cst.Name(receiver.value))], value=updated_node.value)

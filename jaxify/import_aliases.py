"""Names follow the module's imports: what the codemods wrote as ``jnp.`` / ``lax.`` / ``jax.`` is
written with the names the module already gives those modules, and never means a user's variable.

Every codemod writes the canonical roots (``jnp``, ``lax``, ``jax``, ``checkify``) and asks for
their canonical imports. Once per pipeline pass, :func:`follow_module_imports` compares the pass's
output with its input and, for each root a codemod wrote (:mod:`jaxify.written_names`; the user's
own ``jnp`` is never touched):

- the module's own name for that module is used instead, the longest one that fits:
  ``jnp.sum`` -> ``jn.sum`` after ``import jax.numpy as jn`` (or ``from jax import numpy as jn``),
  ``lax.cond`` -> ``L.cond`` after ``from jax import lax as L``, ``jax.random.split`` ->
  ``jr.split`` after ``import jax.random as jr``, ``jax.jit`` -> ``j.jit`` after ``import jax as j``;
- a name that a parameter or local variable of the function shadows (``def f(x, jnp)``) is
  replaced by a fresh module-level import (``import jax.numpy as jnp_2``), so the written code
  cannot capture the user's variable;
- the canonical import the codemods added for a root that no written reference spells any more is
  dropped: a module never imports ``jax.numpy`` twice under two names, and an added
  ``import jax.numpy as jnp`` never rebinds a module-level ``jnp`` of the user's (``import numpy as jnp``).

A root stays as written when the module has no other name for its module and nothing shadows it.
Names are resolved with LibCST's scope analysis, not by comparing text; the pass costs nothing
(no parse, no metadata) for a module whose output binds no jax alias and no canonical root other
than by its canonical import, which is almost every module.
"""

from __future__ import annotations

import ast
import dataclasses
import tokenize

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.helpers import get_full_name_for_node
from libcst.metadata import GlobalScope, ImportAssignment, MetadataWrapper, PositionProvider

from jaxify import python_ast
from jaxify.analysis.providers import ParentProvider, Scopes, Wrapper
from jaxify.analysis.tree import visit
from jaxify.codemod import fresh_name
from jaxify.present_imports import add_imports, already_imported
from jaxify.written_names import written_name_positions

# root the codemods write -> the module it names, and the import they ask for to bind it
ROOTS: dict[str, str] = {"jnp": "jax.numpy", "lax": "jax.lax", "jax": "jax", "checkify": "jax.experimental.checkify"}
# The modules whose own names the module's imports can give (``from jax import jit`` names a
# function, not a module: written ``jax.jit`` stays as it is).
JAX_MODULES = frozenset({*ROOTS.values(), "jax.random", "jax.tree_util", "jax.tree", "jax.debug", "jax.nn",
                         "jax.scipy", "jax.experimental"})
CANONICAL_IMPORTS: dict[str, ImportItem] = {
    "jnp": ImportItem("jax.numpy", None, "jnp"),
    "lax": ImportItem("jax", "lax", None),
    "jax": ImportItem("jax", None, None),
    "checkify": ImportItem("jax.experimental", "checkify", None),
}


def follow_module_imports(before: str, after: str) -> str:
    """``after`` (a pass's output for the input ``before``) with the written roots renamed as above."""
    if after == before or not _needs_renaming(after):
        return after
    try:
        written = written_name_positions(before, after, frozenset(ROOTS))
    except (tokenize.TokenError, SyntaxError):  # Python's tokenizer is older than LibCST's grammar
        return after
    if not written:
        return after
    before_module = cst.parse_module(before)
    imported_before = {root for root, item in CANONICAL_IMPORTS.items() if already_imported(before_module, [item])}
    wrapper = Wrapper(cst.parse_module(after), unsafe_skip_copy=True)
    renamer = _Renamer(wrapper, written, imported_before)
    if not renamer.replacements:
        return after
    module = wrapper.module.visit(renamer)
    context = CodemodContext(wrapper=MetadataWrapper(module, unsafe_skip_copy=True))
    for item in renamer.new_imports:
        AddImportsVisitor.add_needed_import(context, item.module, item.obj_name, item.alias)
    if renamer.new_imports:
        module = add_imports(context, module)
    # The canonical imports this pass added for roots now written under other names go, even where
    # the name looks used: the user's own `jnp` may be another binding that the import would replace.
    surplus = {
        root: len(_canonical_imports(module, root)) - len(_canonical_imports(before_module, root))
        for root in renamer.renamed_roots - renamer.kept_roots
    }
    return _without_last_imports(module, {root: n for root, n in surplus.items() if n > 0}).code


def _needs_renaming(text: str) -> bool:
    """Cheap: does the module bind a jax module under a non-canonical name, or a root to anything else?"""
    try:
        tree = python_ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False  # the engine reports it; nothing to rename in a module that does not parse
    for node in ast.walk(tree):
        for name, module in _import_bindings(node):
            if module in JAX_MODULES and name != _root_of(module):
                return True  # an alias to follow
            if name in ROOTS and module != ROOTS[name]:
                return True  # a root bound to something else
        if _bound_name(node) in ROOTS:
            return True
    return False


def _import_bindings(node: ast.AST) -> list[tuple[str, str]]:
    """(name, dotted module) for each name an import statement binds."""
    if isinstance(node, ast.Import):
        return [(a.asname, a.name) if a.asname else (a.name.split(".")[0],) * 2 for a in node.names]
    if isinstance(node, ast.ImportFrom):
        source = "." * node.level + (node.module or "")
        return [(a.asname or a.name, f"{source}.{a.name}") for a in node.names if a.name != "*"]
    return []


def _bound_name(node: ast.AST) -> str | None:
    """The name a non-import binding binds: an assignment target, parameter, def, class, except-as."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return node.id
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler,
                         ast.MatchAs, ast.MatchStar)):
        return node.name
    return None


def _root_of(module: str) -> str | None:
    """The canonical root naming ``module`` (``jnp`` for jax.numpy), if the codemods write one."""
    return next((root for root, name in ROOTS.items() if name == module), None)


@dataclasses.dataclass(frozen=True)
class _Alias:
    name: str
    module: str  # the dotted module the name is bound to


class _Renamer(cst.CSTTransformer):
    """Replaces the written roots' dotted prefixes found at construction, and nothing else."""

    def __init__(self, wrapper: MetadataWrapper, written: set[tuple[int, int]], imported_before: set[str]):
        super().__init__()
        self.imported_before = imported_before  # roots the module imported canonically itself: kept
        self.scopes = wrapper.resolve(Scopes)
        self.parents = wrapper.resolve(ParentProvider)
        module = wrapper.module
        self.global_scope = self.scopes[module]
        self.aliases = _module_aliases(module, self.global_scope)
        self.taken = {name.value for name in _names(module)}
        self.fresh: dict[str, str] = {}  # dotted module -> the fresh name imported for it
        self.new_imports: list[ImportItem] = []
        self.renamed_roots: set[str] = set()
        self.kept_roots: set[str] = set()  # roots some written reference still spells canonically
        self.replacements: dict[cst.CSTNode, str] = {}
        positions = wrapper.resolve(PositionProvider)
        for node in positions:
            if isinstance(node, cst.Name) and node.value in ROOTS:
                where = positions[node]
                if (where.start.line, where.start.column) in written:
                    self._plan(node)

    def _plan(self, root: cst.Name) -> None:
        """Choose the name for the dotted prefix that ``root`` starts, if it must change."""
        parts, prefix = [ROOTS[root.value]], root
        chain: list[tuple[cst.CSTNode, str]] = [(root, ROOTS[root.value])]
        parent = self.parents.get(prefix)
        while isinstance(parent, cst.Attribute) and parent.value is prefix:
            parts.append(parent.attr.value)
            prefix = parent
            chain.append((prefix, ".".join(parts)))
            parent = self.parents.get(prefix)
        scope = self.scopes.get(root)
        if scope is None or not self._is_reference(root):
            return
        canonical = _Alias(root.value, ROOTS[root.value])
        for node, dotted in reversed(chain):  # the longest prefix the module already names
            alias = self.aliases.get(dotted)
            if node is root and root.value in self.imported_before and self._resolves_to(scope, canonical):
                self.kept_roots.add(root.value)
                return  # the module imports the root itself: its own spelling stays
            if alias is not None and self._resolves_to(scope, alias):
                self._replace(root, node, alias.name)
                return
        if self._resolves_to(scope, canonical):
            self.kept_roots.add(root.value)
            return
        name = self.fresh.get(canonical.module)
        if name is None:  # shadowed here: bind the module under a name nothing in the module uses
            name = self.fresh[canonical.module] = fresh_name(root.value, self.taken)
            self.new_imports.append(ImportItem(canonical.module, None, name))
        self._replace(root, root, name)

    def _is_reference(self, root: cst.Name) -> bool:
        parent = self.parents.get(root)
        return not (isinstance(parent, cst.Attribute) and parent.attr is root)

    def _resolves_to(self, scope, alias: _Alias) -> bool:
        """Whether ``alias.name`` read in ``scope`` means the module-level import of ``alias.module``."""
        assignments = scope[alias.name]
        return bool(assignments) and all(
            isinstance(a, ImportAssignment) and a.scope is self.global_scope
            and _bound_module(a.node, alias.name) == alias.module
            for a in assignments
        )

    def _replace(self, root: cst.Name, node: cst.CSTNode, name: str) -> None:
        self.replacements[node] = name
        self.renamed_roots.add(root.value)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        name = self.replacements.get(original_node)
        return updated_node if name is None else cst.Name(name)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        name = self.replacements.get(original_node)
        return updated_node if name is None else updated_node.with_changes(value=name)


def _module_aliases(module: cst.Module, global_scope: GlobalScope) -> dict[str, _Alias]:
    """Dotted JAX module -> the name a module-level import binds it to, when that name is bound once."""
    found: dict[str, _Alias] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                name = alias.evaluated_alias or alias.evaluated_name
                dotted = _bound_module(small, name)
                if (dotted in JAX_MODULES and "." not in name and name != _root_of(dotted)
                        and len(global_scope.assignments[name]) == 1):
                    found.setdefault(dotted, _Alias(name, dotted))
    return found


def _bound_module(statement: cst.CSTNode, name: str) -> str | None:
    """The dotted module that ``name`` is bound to by the import ``statement``, if it binds it."""
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            if alias.evaluated_alias == name:
                return alias.evaluated_name
            if alias.asname is None and alias.evaluated_name.split(".")[0] == name:
                return name
        return None
    if not isinstance(statement, cst.ImportFrom) or statement.relative or statement.module is None:
        return None
    if isinstance(statement.names, cst.ImportStar):
        return None
    source = get_full_name_for_node(statement.module)
    for alias in statement.names:
        if (alias.evaluated_alias or alias.evaluated_name) == name:
            return f"{source}.{alias.evaluated_name}"
    return None


def _names(module: cst.Module) -> list[cst.Name]:
    collected: list[cst.Name] = []

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            collected.append(node)

    visit(None, module, _Collect())
    return collected


def _is_canonical_import(statement: cst.CSTNode, alias: cst.ImportAlias, root: str) -> bool:
    """Whether ``alias`` of ``statement`` is exactly the import the codemods ask for to bind ``root``."""
    item = CANONICAL_IMPORTS[root]
    if isinstance(statement, cst.Import):
        return item.obj_name is None and alias.evaluated_name == item.module and alias.evaluated_alias == item.alias
    return (isinstance(statement, cst.ImportFrom) and not statement.relative and statement.module is not None
            and get_full_name_for_node(statement.module) == item.module
            and alias.evaluated_name == item.obj_name and alias.asname is None)


def _canonical_imports(module: cst.Module, root: str) -> list[cst.ImportAlias]:
    return [
        alias
        for statement in module.body if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body if isinstance(small, (cst.Import, cst.ImportFrom))
        and not isinstance(small.names, cst.ImportStar)
        for alias in small.names if _is_canonical_import(small, alias, root)
    ]


def _without_last_imports(module: cst.Module, counts: dict[str, int]) -> cst.Module:
    """``module`` without the last ``counts[root]`` canonical module-level imports of each root
    (the imports a pass adds come after the module's own)."""
    dropped = {id(alias) for root, n in counts.items() for alias in _canonical_imports(module, root)[-n:]}
    if not dropped:
        return module
    body = []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            statement = _without_aliases(statement, dropped)
            if statement is None:
                continue
        body.append(statement)
    return module.with_changes(body=body)


def _without_aliases(line: cst.SimpleStatementLine, dropped: set[int]) -> cst.SimpleStatementLine | None:
    smalls = []
    for small in line.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
            names = [alias for alias in small.names if id(alias) not in dropped]
            if not names:
                continue
            if len(names) < len(small.names):
                names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                small = small.with_changes(names=names)
        smalls.append(small)
    if not smalls:
        return None
    smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=smalls)

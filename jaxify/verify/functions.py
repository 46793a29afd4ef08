"""Which functions a rewrite changed, and which changes are pure renames.

A module-level function is *changed* when its source text in the rewritten module differs from the
original's. A change is a *rename candidate* when the two functions' syntax trees differ only in
dotted names (``np.sum`` -> ``jnp.sum``, ``jax.tree_map`` -> ``jax.tree_util.tree_map``); the
worker then proves the rewrite an identity if each pair names the very same object at runtime.
"""

from __future__ import annotations

import ast
import dataclasses
import textwrap

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxify import python_ast
from jaxify.analysis.providers import Wrapper
from jaxify.config import Options


@dataclasses.dataclass
class ChangedFunction:
    name: str
    line: int  # in the user's (original) file
    rewritten_line: int
    renames: list[tuple[str, str]] | None  # dotted-name pairs when the change is only renames
    static_argnames: tuple[str, ...] = ()  # inferred by the shared analysis
    keeps_numpy: bool = False  # the rewrite's gate kept its computation on NumPy (JX807): called as before
    # the parameter the original seeds NumPy from (`np.random.seed(seed)`), which the rewrite made its
    # root key from: both are random functions of that argument, compared by distribution over it
    seed_param: str | None = None


def module_functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    return {node.name.value: node for node in module.body if isinstance(node, cst.FunctionDef)}


def changed_functions(original: str, rewritten: str, options: Options,
                      kept_numpy_lines: frozenset[int] = frozenset()) -> list[ChangedFunction]:
    """The module-level functions present in both texts whose source differs, in file order.
    ``kept_numpy_lines``: the (original) lines of the rewrite's JX807 findings; the function holding
    one kept its NumPy computation, so it is checked as callers call it, not under jax.jit."""
    old_wrapper = Wrapper(cst.parse_module(original))
    new_wrapper = Wrapper(cst.parse_module(rewritten))
    old_positions = old_wrapper.resolve(PositionProvider)
    new_positions = new_wrapper.resolve(PositionProvider)
    old_defs, new_defs = module_functions(old_wrapper.module), module_functions(new_wrapper.module)
    statics, jax_free = _rewrite_facts(new_wrapper, new_defs, options)
    changed = []
    for name, old in old_defs.items():
        new = new_defs.get(name)
        if new is None:
            continue
        old_code, new_code = old_wrapper.module.code_for_node(old), new_wrapper.module.code_for_node(new)
        if old_code == new_code:
            continue
        span = old_positions[old]
        changed.append(ChangedFunction(
            name=name,
            line=old_positions[old.name].start.line,
            rewritten_line=new_positions[new.name].start.line,
            renames=rename_pairs(old_code, new_code),
            static_argnames=statics.get(name, ()),
            keeps_numpy=name in jax_free or any(span.start.line <= line <= span.end.line for line in kept_numpy_lines),
            seed_param=_reseeded_parameter(old_code, new_code),
        ))
    return changed


def _rewrite_facts(wrapper: MetadataWrapper, defs: dict[str, cst.FunctionDef], options: Options):
    """Static argnames the shared analysis infers for each rewritten function (empty if it cannot),
    and the rewritten functions that name nothing from JAX (only NumPy API renames: NumPy code,
    not meant to run under jit)."""
    try:
        from jaxify.analysis import analyze

        analysis = analyze(wrapper, options)
    except Exception:  # no analysis, no inferred static names: declared ones and plain values still apply
        return {}, set()
    found, jax_free = {}, set()
    for name, node in defs.items():
        info = analysis.function_of(node)
        if info is not None and info.static_argnames:
            found[name] = tuple(info.static_argnames)
        if not any((analysis.qualified_name(n) or "").split(".")[0] == "jax" for n in _dotted_nodes(node)):
            jax_free.add(name)
    return found, jax_free


def _dotted_nodes(node: cst.CSTNode):
    """The names and attribute chains in ``node`` (decorators included)."""
    if isinstance(node, (cst.Name, cst.Attribute)):
        yield node
    for child in node.children:
        yield from _dotted_nodes(child)


NUMPY_SEEDING = ("random.seed", "default_rng", "RandomState")  # a NumPy generator seeded from the argument
JAX_KEYS = ("jax.random.key", "jax.random.PRNGKey")


def _reseeded_parameter(old_code: str, new_code: str) -> str | None:
    """The parameter the original function seeds NumPy's random numbers from and the rewrite makes
    its root key from (JX203), or None."""
    try:
        old_tree, new_tree = (python_ast.parse(textwrap.dedent(code)) for code in (old_code, new_code))
    except SyntaxError:
        return None

    def seeded_from(tree: ast.AST, callees: tuple[str, ...]) -> set[str]:
        return {
            call.args[0].id for call in ast.walk(tree)
            if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Name)
            and any((_dotted(call.func) or "").endswith(callee) for callee in callees)
        }

    function = new_tree.body[0]
    params = {a.arg for a in function.args.args + function.args.kwonlyargs} if isinstance(function, ast.FunctionDef) else set()
    reseeded = seeded_from(old_tree, NUMPY_SEEDING) & seeded_from(new_tree, JAX_KEYS) - seeded_from(old_tree, JAX_KEYS)
    return min(reseeded & params, default=None)


def rename_pairs(old_code: str, new_code: str) -> list[tuple[str, str]] | None:
    """The (old, new) dotted names that differ, or None when anything else differs too."""
    try:
        old_tree, new_tree = python_ast.parse(textwrap.dedent(old_code)), python_ast.parse(textwrap.dedent(new_code))
    except SyntaxError:
        return None
    pairs: list[tuple[str, str]] = []
    return pairs if _same_but_names(old_tree, new_tree, pairs) else None


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _same_but_names(old: ast.AST, new: ast.AST, pairs: list[tuple[str, str]]) -> bool:
    if ast.dump(old) == ast.dump(new):
        return True
    old_name, new_name = _dotted(old), _dotted(new)
    if old_name is not None and new_name is not None and isinstance(old.ctx, ast.Load) and isinstance(
            new.ctx, ast.Load):
        pairs.append((old_name, new_name))
        return True
    if type(old) is not type(new):
        return False
    for field in old._fields:
        a, b = getattr(old, field), getattr(new, field)
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b) or not all(
                    _same_but_names(x, y, pairs) if isinstance(x, ast.AST) else x == y for x, y in zip(a, b)):
                return False
        elif isinstance(a, ast.AST) and isinstance(b, ast.AST):
            if not _same_but_names(a, b, pairs):
                return False
        elif a != b:
            return False
    return True

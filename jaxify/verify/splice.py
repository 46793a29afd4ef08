"""The module to write under ``--require verified``: the rewrite of the functions that verified,
the original text of everything else.

``splice(original, rewritten, verdicts)`` works on the module's top-level statements:

- A function or class the rewrite changed is a *unit*, and so is a function the rewrite added (a
  functional twin, a helper). A changed function may be written in its rewritten form only when
  verify accepted it (``verdicts[name] is None``); an added function is accepted (it runs only
  through the functions that call it); a changed class never is, since verify checks
  module-level functions, not methods.
- Rewrites are linked: a rewritten function may call another under a new contract (it returns the
  arguments it wrote, it takes a key), and an original caller may write in place into a rewritten
  callee's jax array. So units that name each other, in either text, form a group, and a group is
  written in its rewritten form only when every unit in it is accepted; otherwise all of it keeps
  its original text. This errs towards keeping code as it was: two functions that merely share a
  name are grouped too.
- The rewrite's imports and float64 switch (``jax.config.update``) are kept, and imports it
  removed are put back, since original functions may still use them. Any other change to
  module-level code (a seed turned into a key, a script block, a removed or twice-defined
  function, an import that now binds a name differently) is checked by nothing: then the whole
  module keeps its original text.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
from libcst.metadata import PositionProvider

from jaxify.analysis.expressions import names_in
from jaxify.analysis.providers import Wrapper

Span = tuple[int, int]  # first and last line in the original


@dataclasses.dataclass
class Splice:
    text: str  # the module to write: the original when nothing is kept
    kept: list[str]  # changed functions and classes written in their rewritten form
    held_back: dict[str, tuple[Span, str]]  # unit -> (its lines, why it keeps its original text)
    module_reason: str = ""  # why the whole module keeps its original text, when that is the case


@dataclasses.dataclass
class _Unit:
    original: cst.CSTNode | None
    rewritten: cst.CSTNode | None
    span: Span = (0, 0)


def splice(original: str, rewritten: str, verdicts: dict[str, str | None]) -> Splice:
    """``verdicts``: each changed function verify checked -> None when accepted, else why not."""
    old_module, new_module = cst.parse_module(original), cst.parse_module(rewritten)
    units = _changed_units(old_module, new_module)
    reason = _module_level_change(old_module, new_module, units)
    if reason:
        return Splice(original, [], {name: (unit.span, reason) for name, unit in units.items() if unit.original},
                      module_reason=reason)
    refusals = {name: _refusal(name, unit, verdicts) for name, unit in units.items()}
    held_back: dict[str, tuple[Span, str]] = {}
    dropped: set[str] = set()
    for group in _linked_groups(units):
        refused = sorted(name for name in group if refusals[name])
        if not refused:
            continue
        for name in group:
            linked = ", ".join(f"`{other}`" for other in refused)
            why = refusals[name] or f"its rewrite is linked to that of {linked} (one names the other), which is not written"
            if units[name].original is None:
                dropped.add(name)
            else:
                held_back[name] = (units[name].span, why)
    kept = [name for name, unit in units.items() if unit.original is not None and name not in held_back]
    if not kept:
        return Splice(original, [], held_back)
    if not held_back:
        return Splice(rewritten, kept, {})  # all of it verified: the imports it dropped are unused
    body = _restore_imports(old_module, new_module, [
        units[node.name.value].original if _name(node) in held_back else node
        for node in new_module.body if _name(node) not in dropped
    ])
    return Splice(new_module.with_changes(body=body).code, kept, held_back)


def _name(node: cst.CSTNode) -> str | None:
    return node.name.value if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else None


def _definitions(module: cst.Module) -> dict[str, list[cst.CSTNode]]:
    found: dict[str, list[cst.CSTNode]] = {}
    for node in module.body:
        if _name(node) is not None:
            found.setdefault(_name(node), []).append(node)
    return found


def _changed_units(old_module: cst.Module, new_module: cst.Module) -> dict[str, _Unit]:
    old_defs, new_defs = _definitions(old_module), _definitions(new_module)
    positions = Wrapper(old_module, unsafe_skip_copy=True).resolve(PositionProvider)
    units = {}
    for name in dict.fromkeys([*old_defs, *new_defs]):
        old, new = old_defs.get(name, [None])[-1], new_defs.get(name, [None])[-1]
        if old is not None and new is not None and old_module.code_for_node(old) == new_module.code_for_node(new):
            continue
        span = (positions[old].start.line, positions[old].end.line) if old is not None else (0, 0)
        units[name] = _Unit(old, new, span)
    return units


def _refusal(name: str, unit: _Unit, verdicts: dict[str, str | None]) -> str | None:
    if unit.original is None:
        return None  # added by the rewrite
    if isinstance(unit.original, cst.ClassDef):
        return "verify checks module-level functions, not methods, so a rewritten class is never proven"
    return verdicts.get(name, "verify did not check it")


def _is_support(module: cst.Module, node: cst.CSTNode) -> bool:
    """Imports, and the float64 switch the rewrite adds after them."""
    if not isinstance(node, cst.SimpleStatementLine):
        return False
    if all(isinstance(item, (cst.Import, cst.ImportFrom)) for item in node.body):
        return True
    return (len(node.body) == 1 and isinstance(node.body[0], cst.Expr) and isinstance(node.body[0].value, cst.Call)
            and module.code_for_node(node.body[0].value.func).endswith("config.update"))


def _module_level_change(old_module: cst.Module, new_module: cst.Module, units: dict[str, _Unit]) -> str:
    """Why module-level code prevents keeping only part of the rewrite, or ''."""
    for module in (old_module, new_module):
        for name, nodes in _definitions(module).items():
            if len(nodes) > 1 and name in units:
                return f"the module defines `{name}` more than once"
    removed = [name for name, unit in units.items() if unit.rewritten is None]
    if removed:
        return f"the rewrite removed `{removed[0]}`"

    def plain_code(module: cst.Module) -> list[str]:
        return [module.code_for_node(node) for node in module.body
                if _name(node) is None and not _is_support(module, node)]

    if plain_code(old_module) != plain_code(new_module):
        return "the rewrite changed module-level code, which verify does not check"
    restored, added = _import_difference(old_module, new_module)
    rebound = _bound_names(restored) & _bound_names(added)
    if rebound:
        return f"the rewrite changed what the import of `{sorted(rebound)[0]}` binds"
    return ""


def _import_difference(old_module, new_module) -> tuple[list[cst.CSTNode], list[cst.CSTNode]]:
    """(imports of the original the rewrite dropped, imports the rewrite added)."""
    old = {old_module.code_for_node(n): n for n in old_module.body if _is_support(old_module, n)}
    new = {new_module.code_for_node(n): n for n in new_module.body if _is_support(new_module, n)}
    return [n for code, n in old.items() if code not in new], [n for code, n in new.items() if code not in old]


def _bound_names(statements: list[cst.CSTNode]) -> set[str]:
    names = set()
    for statement in statements:
        for item in statement.body:
            if isinstance(item, (cst.Import, cst.ImportFrom)) and not isinstance(item.names, cst.ImportStar):
                for alias in item.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    names.add(cst.Module([]).code_for_node(bound).split(".")[0])
            elif isinstance(item, cst.ImportFrom):
                names.add("*")
    return names


def _restore_imports(old_module, new_module, body: list[cst.CSTNode]) -> list[cst.CSTNode]:
    """``body`` with the original's imports that the rewrite dropped put back before its first
    import (after ``from __future__`` imports, which must come first)."""
    restored, _ = _import_difference(old_module, new_module)
    if not restored:
        return body
    at = next((index for index, node in enumerate(body) if _is_support(new_module, node)
               and not new_module.code_for_node(node).lstrip().startswith("from __future__")), None)
    if at is None:
        at = max((index + 1 for index, node in enumerate(body)
                  if new_module.code_for_node(node).lstrip().startswith(("from __future__", '"""', "'''"))), default=0)
    return [*body[:at], *restored, *body[at:]]


def _names_of(node: cst.CSTNode | None) -> set[str]:
    return names_in(node) if node is not None else set()


def _linked_groups(units: dict[str, _Unit]) -> list[list[str]]:
    """Units that name each other (in either text), transitively, as groups."""
    parent = {name: name for name in units}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name, unit in units.items():
        for other in (_names_of(unit.original) | _names_of(unit.rewritten)) & units.keys():
            parent[root(other)] = root(name)
    groups: dict[str, list[str]] = {}
    for name in units:
        groups.setdefault(root(name), []).append(name)
    return list(groups.values())

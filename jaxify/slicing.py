"""Large modules are rewritten a few functions at a time: bounded memory, cost linear in size.

A LibCST tree costs about 2 KB of memory per byte of source once metadata and analysis are
resolved on it, and several passes walk it whole, so a 5 MB module does not fit in memory and
every extra function makes every walk longer. Most of what jaxify decides about a function
follows from that function and the ones it is connected to by name (its callers, its callees,
the module-level names it reads or writes), so a large module is cut at its top-level
statements into *slices*: each slice is the module's leading imports followed by some whole
groups of connected statements, in the module's order, rewritten by the ordinary pipeline as if
it were the whole file. The rewritten statements are put back in their places.

How statements are grouped (Python's own ``ast``, one top-level statement at a time, never the
whole module's tree): two top-level statements are connected when one reads a name the other
binds (a call, a module-level constant, a ``global`` write, a name in ``__all__``), when both
bind the same name, when both store, write into or call a mutating method of the same attribute
name, or when both touch NumPy's global random state and the module seeds or draws at module
level (a module-level ``np.random.seed`` seeds the draws of every function). JAX's configuration
just after the imports is part of every slice. A module that configures JAX between its
functions, reaches its own names dynamically (``globals()``, ``eval``, ``exec``, ``vars``), has no
leading imports or is skipped (``# jaxify: skip-file``) is not cut.

What keeps this safe: each slice's rewrite is checked when it comes back. Every boundary marker
must come back once and in order, every statement must come back as the same number of top-level
statements (a statement a codemod put between two others would land at the wrong place), and the
leading statements may differ between slices only by imports and the same added x64 switch.
Imports added by any slice are added; an import some slice dropped goes only when no statement
reads its name any more, or when an added import binds that name instead. Anything else and the
module is rewritten whole, as before.

Findings come back in the original file's lines: the positions, and the ``line N`` that some
messages quote.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import math
import re
from typing import Callable, Iterator

from jaxify import python_ast
from jaxify.findings import Finding
from jaxify.suppression import SKIP_FILE

# Files smaller than this (characters) are rewritten whole: slicing pays off in memory and time
# only once a tree no longer fits comfortably; below it the output is the same either way.
SLICE_ABOVE = 96_000
# A slice collects whole groups of connected statements up to about this many characters: a
# few seconds of rewriting each (about 60 small functions), well inside the per-file time limit.
SLICE_SIZE = 8_000
# Names that let code reach the module's names without naming them.
DYNAMIC_NAMES = frozenset({"globals", "locals", "vars", "eval", "exec", "__import__"})

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_QUOTED_LINE = re.compile(r"\bline (\d+)\b")


@dataclasses.dataclass(frozen=True)
class Chunk:
    """Whole lines of the original holding one or more top-level statements (those sharing a
    line), with the comments and blank lines above them."""

    first_line: int  # 1-based, in the original file
    text: str
    statements: int
    reads: frozenset[str]  # every name it reads (and strings that read as names)
    binds: frozenset[str]  # the names it binds at module level


@dataclasses.dataclass(frozen=True)
class Plan:
    prologue: str  # the leading docstring and imports, with their comments: part of every slice
    prologue_lines: int
    chunks: tuple[Chunk, ...]
    slices: tuple[tuple[int, ...], ...]  # the chunks of each slice, in the module's order
    newline: str
    lines: int  # the module's

    def marker(self, index: int) -> str:
        return f"#@@ {index} @@{self.newline}"


@dataclasses.dataclass(frozen=True)
class Slice:
    text: str
    original_line: Callable[[int], int]  # a line of ``text`` -> the line of the original file
    lines: int


def plan(text: str) -> Plan | None:
    """How to cut ``text`` into slices; None when it is small, cannot be cut, or gives one slice."""
    if len(text) <= SLICE_ABOVE or SKIP_FILE.search(text):
        return None
    lines = _LINE.findall(text)
    prologue_lines, prologue, chunks, facts = 0, [], [], []
    for first, end, statements in _top_level_segments(lines):
        if statements is None:
            return None  # LibCST reports the problem, or parses syntax newer than this Python
        if not chunks and all(_is_prologue(statement, len(prologue) + n) for n, statement in enumerate(statements)):
            prologue += statements
            prologue_lines = end
            continue
        if not prologue:
            return None  # without leading imports, an import a slice adds would land above its first marker
        if not chunks:
            random_names = _random_names(prologue)
        fact = _names(statements, random_names)
        if fact.dynamic or fact.configures_jax:
            return None
        chunks.append(Chunk(first + 1, "".join(lines[first:end]), len(statements), frozenset(fact.reads),
                            frozenset(fact.binds)))
        facts.append(fact)
    if not chunks:
        return None
    slices = _pack(_components(facts), chunks, SLICE_SIZE)
    if len(slices) < 2:
        return None
    newline = next((line[len(line.rstrip("\r\n")):] for line in lines if line.endswith(("\n", "\r"))), "\n")
    return Plan("".join(lines[:prologue_lines]), prologue_lines, tuple(chunks), slices, newline, len(lines))


def slice_of(plan: Plan, members: tuple[int, ...]) -> Slice:
    """The text of one slice: the prologue, then each member chunk with its marker line after the
    chunk's leading blank lines (so that the statement after the imports is set off from them by
    the same blank lines as in the module: LibCST's import visitor adds one before a comment)."""
    parts = [plan.prologue]
    starts = [(1, 1)]  # (first line in the slice, first line in the original) of each run
    line = plan.prologue_lines + 1
    for index in members:
        chunk = plan.chunks[index]
        lines = _LINE.findall(chunk.text)
        blank = next((n for n, text in enumerate(lines) if text.strip()), len(lines))
        parts += ["".join(lines[:blank]), plan.marker(index), "".join(lines[blank:])]
        starts.append((line, chunk.first_line))  # the blank lines, then the marker: the statement's line
        starts.append((line + blank + 1, chunk.first_line + blank))
        line += len(lines) + 1

    def original_line(slice_line: int) -> int:
        first, original = starts[bisect.bisect_right(starts, (slice_line, math.inf)) - 1]
        return original + slice_line - first

    return Slice("".join(parts), original_line, line - 1)


def pieces(plan: Plan) -> list[Slice]:
    return [slice_of(plan, members) for members in plan.slices]


def assemble(plan: Plan, pieces: list[Slice], outputs: list[tuple[str, list[Finding]]]) -> tuple[str, list[Finding]] | None:
    """The module and its findings from each slice's (rewritten text, findings); None when the
    rewrites cannot be put back together (the module is then rewritten whole)."""
    findings: dict[Finding, Finding] = {}
    for piece, (_, piece_findings) in zip(pieces, outputs):
        for finding in piece_findings:
            whole_slice = (finding.line, finding.col, finding.end_line) == (1, 1, piece.lines + 1)
            finding = remap(finding, piece.original_line)
            if whole_slice:  # a finding on the module: on the whole file, as when it is rewritten whole
                finding = dataclasses.replace(finding, end_line=plan.lines + 1, end_col=1)
            # A finding on the leading imports, or on the whole module (it ends where its slice
            # ends), comes from every slice that made it: reported once, to the furthest end.
            key = dataclasses.replace(finding, end_line=0, end_col=0) if finding.line <= plan.prologue_lines else finding
            if key not in findings or findings[key].end_line < finding.end_line:
                findings[key] = finding
    stitched = stitch(plan, [text for text, _ in outputs])
    if stitched is None:
        return None
    return stitched, list(findings.values())


def remap(finding: Finding, original_line: Callable[[int], int]) -> Finding:
    """``finding`` of a slice, with its lines (and the lines its texts quote) in the original file."""

    def quoted(text: str) -> str:
        return _QUOTED_LINE.sub(lambda match: f"line {original_line(int(match.group(1)))}", text)

    return dataclasses.replace(
        finding, line=original_line(finding.line),
        end_line=original_line(finding.end_line) if finding.end_line else 0,
        message=quoted(finding.message), reason=quoted(finding.reason), hint=quoted(finding.hint),
    )


def stitch(plan: Plan, rewritten: list[str]) -> str | None:
    """The module from the slices' rewrites (in ``plan.slices``' order); None when they cannot be
    put together safely (see the module's docstring)."""
    chunks: dict[int, str] = {}
    prologues = []
    body_reads: set[str] = set()
    for members, text in zip(plan.slices, rewritten):
        parts = _split_at_markers(plan, members, text)
        if parts is None:
            return None
        prologues.append(parts[0])
        for index, piece in zip(members, parts[1:]):
            chunk = plan.chunks[index]
            if piece == chunk.text:
                body_reads |= chunk.reads
            else:
                statements = _statements(piece)
                if statements is None or len(statements) != chunk.statements:
                    return None
                body_reads.update(name for statement in statements for node in ast.walk(statement)
                                  for name in _read_names(node))
            chunks[index] = piece
    body_binds = set().union(*(chunk.binds for chunk in plan.chunks))
    prologue = _merge_prologues(plan.prologue, prologues, body_reads, body_binds)
    # The module is valid when its parts are: the leading statements (checked here) and each
    # statement, unchanged or parsed above. Compiling the whole would cost a 5 MB module's tree.
    if prologue is None or _statements(prologue) is None:
        return None
    return prologue + "".join(chunks[index] for index in range(len(plan.chunks)))


# -- cutting ----------------------------------------------------------------------------------------

def _is_prologue(statement: ast.stmt, position: int) -> bool:
    """Part of the leading statements every slice holds: the docstring, imports, and JAX's
    configuration (`jax.config.update("jax_enable_x64", True)`, which every function depends on)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)) or _configures_jax(statement):
        return True
    return (position == 0 and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def _configures_jax(statement: ast.stmt) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    func = call.func if isinstance(call, ast.Call) else None
    return (isinstance(func, ast.Attribute) and func.attr == "update"
            and (isinstance(func.value, ast.Name) and func.value.id == "config"
                 or isinstance(func.value, ast.Attribute) and func.value.attr == "config"))


# A line that starts a top-level statement starts at column 0 with code; these words at column 0
# continue the compound statement above instead.
_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b")
MAX_JOINED_CANDIDATES = 200  # a run of column-0 lines inside one string or bracket, before giving up


def _top_level_segments(lines: list[str]) -> Iterator[tuple[int, int, list[ast.stmt] | None]]:
    """The module's top-level statements, a few at a time, as (first line index, end line index,
    statements): whole lines, the last segment to the end of the file; statements None (and the
    end) when the text does not parse. The statements' line numbers count from the segment.

    Each segment is parsed alone, so the peak memory is one segment's tree, not the module's
    (CPython's tree of a 5 MB module takes over a gigabyte). A line at column 0 that is not a
    comment, a continuation word or inside a backslash continuation may start a statement; a
    candidate segment that does not parse (a string or bracket spanning that line, a decorator)
    is joined with the next."""
    cuts = [n for n in range(1, len(lines)) if _may_start_statement(lines[n], lines[n - 1])] + [len(lines)]
    first, cut = 0, 0  # the segment starts at line index `first` and is tried up to cuts[cut]
    pending: tuple[int, int, list[ast.stmt]] | None = None
    while first < len(lines):
        joined = 0
        while True:
            try:
                body = python_ast.parse("".join(lines[first:cuts[cut]])).body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                body = None
            if body or cut == len(cuts) - 1 or joined >= MAX_JOINED_CANDIDATES:
                break
            cut, joined = cut + 1, joined + 1  # inside a string or bracket, a decorator, only comments
        if body is None:
            yield first, len(lines), None
            return
        if not body:
            break  # only comments and blank lines at the end: they stay with the last statement
        if pending is not None:
            yield pending
        end = first + max(statement.end_lineno for statement in body)
        pending = (first, end, body)
        first = end  # the comments and blank lines after the statements open the next segment
        while cut < len(cuts) - 1 and cuts[cut] <= first:
            cut += 1
    if pending is not None:
        yield pending[0], len(lines), pending[2]


def _may_start_statement(line: str, previous: str) -> bool:
    return (line[:1] not in ("", " ", "\t", "\f", "#", "\r", "\n") and not _CONTINUATION.match(line)
            and not previous.rstrip("\r\n").endswith("\\"))


@dataclasses.dataclass
class _Names:
    binds: set[str] = dataclasses.field(default_factory=set)
    reads: set[str] = dataclasses.field(default_factory=set)
    random_at_module_level: bool = False
    configures_jax: bool = False  # `jax.config.update(...)` after other statements: every function depends on it
    draws: bool = False  # it touches NumPy's random state anywhere (function bodies included)
    dynamic: bool = False
    # Attributes it stores, writes into or calls a method of (`obj.buf = ...`, `obj.buf[i] = v`,
    # `obj.buf.fill(0)`): the NumPy planner keeps what any function stores in an attribute that
    # some function writes in place on NumPy, whatever object holds it.
    attributes: set[str] = dataclasses.field(default_factory=set)


def _names(group: list[ast.stmt], random_names: frozenset[str]) -> _Names:
    # Imported here: the runner reads this module's sizes in a process that never loads LibCST.
    from jaxify.analysis.effects import ARRAY_IN_PLACE_METHODS, MUTATING_METHODS

    mutating = ARRAY_IN_PLACE_METHODS | MUTATING_METHODS
    names = _Names()
    for statement in group:
        _module_level_names(statement, names, random_names)
        names.configures_jax |= _configures_jax(statement)
        for node in ast.walk(statement):
            names.reads.update(_read_names(node))
            names.draws |= _touches_random(node, random_names)
            if isinstance(node, ast.Name):
                names.dynamic |= node.id in DYNAMIC_NAMES
            elif isinstance(node, ast.Attribute):
                if not isinstance(node.ctx, ast.Load):
                    names.attributes.add(node.attr)
            elif isinstance(node, ast.Global):
                names.binds.update(node.names)
            elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
                target = node.value
                while isinstance(target, ast.Subscript):
                    target = target.value
                if isinstance(target, ast.Attribute):
                    names.attributes.add(target.attr)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in mutating and isinstance(node.func.value, ast.Attribute)):
                names.attributes.add(node.func.value.attr)
    return names


_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _read_names(node: ast.AST) -> tuple[str, ...]:
    """The names ``node`` reads: a name, or the first name of a string that reads as one
    (`__all__ = ["tree_map"]` re-exports an import; `x: "np.ndarray"` annotates with one), so
    that the import providing it is never dropped."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _DOTTED.fullmatch(node.value):
        return (node.value.split(".")[0],)
    return ()


def _module_level_names(statement: ast.stmt, names: _Names, random_names: frozenset[str]) -> None:
    """The names ``statement`` binds at module level, and whether code that runs when the module
    is imported touches NumPy's random state (a class body does; a function body runs later)."""
    pending: list[tuple[ast.AST, bool]] = [(statement, True)]  # (node, whether its names are module-level)
    while pending:
        node, module_level = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if module_level:
                names.binds.add(node.name)
            runs_now = node.decorator_list + getattr(node, "bases", []) + getattr(node, "keywords", [])
            if isinstance(node, ast.ClassDef):
                runs_now += node.body
            else:
                runs_now += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
            pending += [(child, False) for child in runs_now]
            continue
        if isinstance(node, ast.Lambda):
            continue
        names.random_at_module_level |= _touches_random(node, random_names)
        if isinstance(node, ast.Name) and module_level and not isinstance(node.ctx, ast.Load):
            names.binds.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and module_level:
            names.binds.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        pending += [(child, module_level) for child in ast.iter_child_nodes(node)]


def _touches_random(node: ast.AST, random_names: frozenset[str]) -> bool:
    """``np.random`` (any ``.random``), or a name the imports bind to NumPy's random state."""
    return (isinstance(node, ast.Attribute) and node.attr == "random"
            or isinstance(node, ast.Name) and node.id in random_names)


def _random_names(prologue: list[ast.stmt]) -> frozenset[str]:
    """Names the leading imports bind to NumPy's random state (``from numpy.random import seed``)."""
    found = set()
    for statement in prologue:
        if isinstance(statement, ast.ImportFrom) and "random" in (statement.module or "").split("."):
            found.update(alias.asname or alias.name for alias in statement.names)
    return frozenset(found)


def _components(facts: list[_Names]) -> list[list[int]]:
    """The chunks connected by names, each as the sorted indices of its chunks."""
    parent = list(range(len(facts)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    binder: dict[str, int] = {}
    holder: dict[str, int] = {}
    for index, fact in enumerate(facts):
        for name in fact.binds:
            if name in binder:
                join(index, binder[name])
            binder.setdefault(name, index)
        for attribute in fact.attributes:
            if attribute in holder:
                join(index, holder[attribute])
            holder.setdefault(attribute, index)
    random_group = None
    for index, fact in enumerate(facts):
        for name in fact.reads & binder.keys():
            join(index, binder[name])
        if fact.random_at_module_level:
            random_group = index if random_group is None else (join(index, random_group) or random_group)
    if random_group is not None:
        # A module-level seed or draw shares NumPy's one global state with every function that draws.
        for index, fact in enumerate(facts):
            if fact.draws:
                join(index, random_group)
    members: dict[int, list[int]] = {}
    for index in range(len(facts)):
        members.setdefault(root(index), []).append(index)
    return sorted(members.values())


def _pack(components: list[list[int]], chunks: list[Chunk], size: int) -> tuple[tuple[int, ...], ...]:
    """Components into slices of about ``size`` characters; a larger component is a slice alone."""
    slices: list[list[int]] = []
    filled = size
    for component in components:
        weight = sum(len(chunks[index].text) for index in component)
        if filled + weight > size:
            slices.append([])
            filled = 0
        slices[-1] += component
        filled += weight
    return tuple(tuple(sorted(members)) for members in slices)


# -- putting back -----------------------------------------------------------------------------------

def _split_at_markers(plan: Plan, members: tuple[int, ...], text: str) -> list[str] | None:
    """[prologue, chunk, chunk, ...] of a slice's rewrite, or None when a marker moved or went.
    The blank lines just above a marker belong to the chunk below it."""
    pieces: list[list[str]] = [[]]
    expected = iter(members)
    want = next(expected, None)
    for line in _LINE.findall(text):
        if want is not None and line == plan.marker(want):
            above = pieces[-1]
            blank = len(above)
            while blank and not above[blank - 1].strip():
                blank -= 1
            pieces.append(above[blank:])
            del above[blank:]
            want = next(expected, None)
        elif line.startswith("#@@ "):
            return None
        else:
            pieces[-1].append(line)
    return ["".join(piece) for piece in pieces] if want is None else None


def _statements(text: str) -> list[ast.stmt] | None:
    try:
        return python_ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imports(text: str) -> tuple[list[str], set[tuple[str, str | None, str | None]]] | None:
    """(the non-import statements, dumped; the imported (module, name, alias), a relative
    module with its leading dots); None when ``text`` does not parse."""
    try:
        module = python_ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    others, imported = [], set()
    for statement in module.body:
        if isinstance(statement, ast.Import):
            imported.update((alias.name, None, alias.asname) for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom):
            module_name = "." * statement.level + (statement.module or "")
            imported.update((module_name, alias.name, alias.asname) for alias in statement.names)
        else:
            others.append(ast.dump(statement))
    return others, imported


def _merge_prologues(original: str, rewritten: list[str], body_reads: set[str], body_binds: set[str]) -> str | None:
    """The leading imports of the whole module: those any slice added, less those some slice
    dropped that no statement reads any more or that an added import now binds. A statement other than an import that slices added
    (``jax.config.update("jax_enable_x64", True)``) is kept when every slice that changed other
    statements made the same change. None when the slices disagree otherwise, or when an added
    import binds a name that a statement of the module also binds."""
    variants = set(rewritten)
    if len(variants) == 1:
        return rewritten[0]
    before = _imports(original)
    facts = {variant: _imports(variant) for variant in variants}
    if before is None or any(fact is None for fact in facts.values()):
        return None
    extended = {tuple(fact[0]) for fact in facts.values()} - {tuple(before[0])}
    if len(extended) > 1 or any(not _only_adds(before[0], list(statements)) for statements in extended):
        return None
    base = next((variant for variant, fact in facts.items() if (tuple(fact[0]),) == tuple(extended)), original)
    changed = [variant for variant in variants if variant != original]
    if len(changed) == 1 and facts[changed[0]][1] >= before[1]:
        final, final_imports = changed[0], facts[changed[0]][1]  # one slice only added: the whole module's text
    else:
        imported = [fact[1] for fact in facts.values()]
        added = set().union(*imported) - before[1]
        # An import some slice dropped goes when nothing reads its name any more, or when an
        # added import binds that name instead (`from jax.config import config` migrated to
        # `from jax import config`).
        provided = {_bound_name(item) for item in added}
        dropped = {item for item in before[1] - set.intersection(*imported)
                   if _bound_name(item) not in body_reads or _bound_name(item) in provided}
        final_imports = added | (before[1] - dropped)
        statements = facts[base][0] if base in facts else before[0]
        # A slice whose leading statements are already the whole module's is taken as it is.
        final = next((variant for variant, (others, found) in facts.items()
                      if found == final_imports and others == statements), None)
        if final is None:
            final = _with_imports(base, facts[base][1] if base in facts else before[1], final_imports)
            merged = _imports(final) if final is not None else None
            if merged is None or merged[1] != final_imports:
                return None  # LibCST keeps an import the leading statements still use: the module goes whole
    new_names = {_bound_name(item) for item in final_imports - before[1]}
    return None if new_names & body_binds else final


def _only_adds(before: list[str], after: list[str]) -> bool:
    """Whether ``after`` is ``before`` with statements added, none changed or removed."""
    remaining = iter(after)
    return all(statement in remaining for statement in before)


def _with_imports(text: str, present: set, wanted: set) -> str | None:
    """``text`` with the imports ``wanted`` that are not ``present`` added, and those ``present``
    that are not ``wanted`` removed (LibCST's import visitors); None for a relative import."""
    add, remove = wanted - present, present - wanted
    if any(name.startswith(".") for name, _, _ in add | remove):
        return None
    import libcst as cst  # here: the runner reads this module's sizes without importing LibCST
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
    from libcst.metadata import MetadataWrapper

    from jaxify.lean_matchers import known_undecorated
    from jaxify.present_imports import add_imports

    module = cst.parse_module(text)
    context = CodemodContext(wrapper=MetadataWrapper(module, unsafe_skip_copy=True))
    for name, obj, alias in sorted(add, key=str):
        AddImportsVisitor.add_needed_import(context, name, obj, alias)
    for name, obj, alias in sorted(remove, key=str):
        RemoveImportsVisitor.remove_unused_import(context, name, obj, alias)
    with known_undecorated():
        module = add_imports(context, module)
        return RemoveImportsVisitor(context).transform_module(module).code


def _bound_name(item: tuple[str, str | None, str | None]) -> str:
    module, obj, alias = item
    return alias or obj or module.split(".")[0]

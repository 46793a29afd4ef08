"""Input contracts: what a function's parameters may hold, and what a rewrite must assume about them.

NumPy accepts what ``jax.numpy`` rejects: Python lists and tuples, ``Decimal``/``Fraction`` and other
Python objects, object/string/masked arrays, ``np.matrix``, objects with ``__array__``. Moving a
function's computation on its parameters to ``jax.numpy`` therefore rests on an assumption about
its callers, unless the evidence shows numeric inputs:

- the function converts the parameter itself (``x = np.asarray(x, dtype=float)``,
  ``x = x.astype(np.float64)``): everything after the conversion is numeric (the conversion
  itself stays the boundary and is judged on the raw parameter);
- an annotation names a numeric array or number (``np.ndarray``, ``NDArray[np.float64]``,
  ``jax.Array``, ``float``); ``ArrayLike`` admits lists, so it is no evidence;
- a numpydoc ``Parameters`` entry says ``ndarray`` or a number type;
- a private function (``_f``), a nested one, or any function of a notebook (nothing imports a
  notebook) is judged by its call sites in the module: numeric
  when every one passes numeric values. A public function's local call sites add what they pass
  (a string passed locally makes the parameter a string), but cannot prove numeric inputs, since
  callers in other modules are not seen.

``--assume-numeric-inputs`` (config ``assume-numeric-inputs = true``) declares numeric inputs
for a whole run; ``--unsafe`` applies the fixes that assume them.
"""

from __future__ import annotations

import re

import libcst as cst

from jaxify.analysis.dtype_class import (
    DESCRIPTION,
    INPUT,
    NUMERIC,
    SEQUENCE,
    UNKNOWN,
    UNPROVEN,
    Verdict,
    join,
    value_classes,
)
from jaxify.analysis.names import array_api_member, is_numpy
from jaxify.analysis.scopes import Scope

_NUMERIC_ANNOTATION = re.compile(
    r"\b(ndarray|NDArray|Array|float|int|complex|bool|float(16|32|64)|int(8|16|32|64)|uint(8|16|32|64)|"
    r"complex(64|128)|floating|integer|number|Float|Int)\b"
)
_NOT_EVIDENCE = re.compile(r"\b(ArrayLike|array_like|list|List|Sequence|tuple|Tuple|Iterable|Any|object)\b")
_DOC_ENTRY = re.compile(r"^\s*(\*{0,2}[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*:\s*(.+)$")
_NUMERIC_CONVERSIONS = frozenset({"asarray", "array", "asanyarray", "ascontiguousarray", "asfarray"})


def assume_numeric_inputs(options) -> bool:
    return bool(getattr(options, "assume_numeric_inputs", False))


class InputContract:
    """``parameter_verdict(scope, name, occurrence)`` for the parameters of one module's functions."""

    def __init__(self, analysis):
        self.analysis = analysis
        self.classes = None  # the ValueClasses this contract serves (set by value_classes)
        self._raw: dict[int, set[int]] = {}  # scope id -> ids of the raw occurrences in conversions
        self._converted: dict[int, set[str]] = {}  # scope id -> parameters converted to numbers
        self._documented: dict[int, set[str]] = {}

    # -- the verdict ---------------------------------------------------------------------------

    def parameter_verdict(self, scope: Scope, name: str, occurrence: cst.CSTNode) -> Verdict:
        if name in ("self", "cls"):
            return Verdict(UNKNOWN)
        local = self._local_callers(scope, name)
        own = self._own_evidence(scope, name, occurrence)
        if own.cls == NUMERIC:
            return join([own, *(v for v in local if v.non_numeric)])
        if assume_numeric_inputs(self.analysis.options):
            return join(v for v in local if v.non_numeric)
        if (self._is_private(scope) or self.analysis.options.callers_in_module) and local:
            found = join(local)
            if found.cls in (NUMERIC, UNKNOWN):
                return found
            return found if found.cls != INPUT else self._unchecked(scope, name)
        worst = join(local)
        return worst if worst.non_numeric else self._unchecked(scope, name)

    def _unchecked(self, scope: Scope, name: str) -> Verdict:
        where = "a private function whose call sites do not all pass numbers" if self._is_private(scope) else (
            f"public function `{scope.name}`"
        )
        return Verdict(INPUT, f"`{name}` is a parameter of {where}")

    @staticmethod
    def _is_private(scope: Scope) -> bool:
        nested = scope.parent is not None and scope.parent.parent is not None
        return nested or (scope.name.startswith("_") and not scope.name.startswith("__"))

    def _own_evidence(self, scope: Scope, name: str, occurrence: cst.CSTNode) -> Verdict:
        if name in self._conversions(scope) and id(occurrence) not in self._raw[id(scope)]:
            return Verdict(NUMERIC)
        if self._annotated_numeric(scope, name) or name in self._documented_numeric(scope):
            return Verdict(NUMERIC)
        return Verdict(INPUT)

    # -- evidence ------------------------------------------------------------------------------

    def _annotated_numeric(self, scope: Scope, name: str) -> bool:
        params = scope.node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == name and param.annotation is not None:
                text = cst.Module([]).code_for_node(param.annotation.annotation)
                return bool(_NUMERIC_ANNOTATION.search(text)) and not _NOT_EVIDENCE.search(text)
        return False

    def _documented_numeric(self, scope: Scope) -> set[str]:
        """Parameters a numpydoc ``Parameters`` section types as ndarray or a number."""
        if id(scope) in self._documented:
            return self._documented[id(scope)]
        found: set[str] = set()
        docstring = scope.node.get_docstring() if isinstance(scope.node, cst.FunctionDef) else None
        if docstring and "Parameters" in docstring:
            section = docstring.split("Parameters", 1)[1]
            section = re.split(r"\n\s*(Returns|Yields|Raises|See Also|Notes|Examples|Other Parameters)\s*\n", section)[0]
            for line in section.splitlines():
                match = _DOC_ENTRY.match(line)
                if match is None:
                    continue
                kind = match.group(3)
                if _NUMERIC_ANNOTATION.search(kind) and not _NOT_EVIDENCE.search(kind):
                    found |= {part.strip().lstrip("*") for part in match.group(1).split(",")}
        self._documented[id(scope)] = found
        return found

    def _conversions(self, scope: Scope) -> set[str]:
        """Parameters the function rebinds to a numeric conversion of themselves."""
        if id(scope) in self._converted:
            return self._converted[id(scope)]
        converted: set[str] = set()
        raw: set[int] = set()
        for name in scope.params:
            for binding in scope.bindings.get(name, []):
                value = binding.source
                if binding.path or not isinstance(value, cst.Call):
                    continue
                occurrence = self._converted_occurrence(value, name)
                if occurrence is not None:
                    converted.add(name)
                    raw.add(id(occurrence))
        self._converted[id(scope)] = converted
        self._raw[id(scope)] = raw
        return converted

    def _converted_occurrence(self, call: cst.Call, name: str) -> cst.Name | None:
        """The ``x`` of ``np.asarray(x, dtype=float)`` / ``x.astype(float)``, when it converts to numbers."""
        classes = value_classes(self.analysis)
        qualified = self.analysis.qualified_name(call.func)
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        dtype = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "dtype"), None)
        if is_numpy(qualified) and array_api_member(qualified) in _NUMERIC_CONVERSIONS:
            subject = positional[0] if positional else None
            if dtype is None and len(positional) > 1:
                dtype = positional[1]
        elif isinstance(call.func, cst.Attribute) and qualified is None and call.func.attr.value == "astype":
            subject = call.func.value
            dtype = positional[0] if positional else dtype
        else:
            return None
        if not (isinstance(subject, cst.Name) and subject.value == name) or dtype is None:
            return None
        return subject if classes.dtype_verdict(dtype).cls == NUMERIC else None

    def _local_callers(self, callee: Scope, name: str) -> list[Verdict]:
        """The verdicts of what the module's own call sites pass for ``name``."""
        classes = value_classes(self.analysis)
        return [Verdict(UNKNOWN) if value is None else classes.of(value)
                for value in self.analysis.values.arguments_for(callee, name)]


# -- what the codemods ask ---------------------------------------------------------------------


def _code(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _reason(expr: cst.CSTNode, verdict: Verdict) -> str:
    what = DESCRIPTION[verdict.cls]
    why = f" ({verdict.why})" if verdict.why and not verdict.why.startswith(f"`{_code(expr)}` ") else ""
    return f"`{_code(expr)}` may hold {what}{why}"


def data_refusal(analysis, values: list[cst.CSTNode], elementwise: bool = False) -> str:
    """Why NumPy computation on ``values`` must stay NumPy: one is not a numeric array ("" if none).

    ``elementwise``: the function takes a sequence of arrays (``np.stack([a, b])``); a list
    literal is then judged by its elements.
    """
    classes = value_classes(analysis)
    for value in values:
        if isinstance(value, cst.BaseString):
            continue  # a spec or mode string (np.einsum's subscripts, np.pad's mode): not data
        verdict = classes.of(value)
        if verdict.cls == SEQUENCE and (elementwise or isinstance(value, (cst.List, cst.Tuple))):
            elements = classes.elements(value)
            if elementwise and isinstance(value, (cst.List, cst.Tuple)):
                # each element is an array, or a list literal the rewrite wraps in jnp.asarray
                elements = join(classes.of(e.value) if not isinstance(e.value, (cst.List, cst.Tuple))
                                else classes.elements(e.value) for e in value.elements)
                elements = elements if elements.cls != SEQUENCE else Verdict(UNPROVEN, elements.why)
            verdict = elements if elements.non_numeric else Verdict(NUMERIC)
        if verdict.non_numeric:
            return _reason(value, verdict)
    return ""


def data_assumption(analysis, values: list[cst.CSTNode]) -> str:
    """The assumption a move of NumPy computation on ``values`` to jax.numpy rests on ("" if none)."""
    classes = value_classes(analysis)
    for value in values:
        verdict = classes.of(value)
        if verdict.cls == SEQUENCE and isinstance(value, (cst.List, cst.Tuple)):
            verdict = classes.elements(value)
        if verdict.cls == INPUT:
            return (
                f"callers pass numeric arrays or numbers for `{_code(value)}` ({verdict.why}): jax.numpy "
                "rejects lists, tuples, Decimal/Fraction and string/object/masked arrays that NumPy accepts; "
                "declare it with --assume-numeric-inputs, or convert the parameter with np.asarray(x, dtype=float)"
            )
    return ""


def _written(target: cst.CSTNode, statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The array a write reaches and the values it writes (``x``, ``v`` of ``x[i] = v``)."""
    while isinstance(target, cst.Subscript):
        target = target.value
    if isinstance(statement, (cst.Assign, cst.AugAssign)):
        return [target, statement.value]
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        return [target, *(arg.value for arg in statement.value.args if arg.keyword is None)]
    return [target]


def write_refusal(analysis, target: cst.CSTNode, statement: cst.CSTNode) -> str:
    """Why an in-place write must stay a NumPy write: it writes to or with non-numeric values."""
    return data_refusal(analysis, _written(target, statement))


def write_assumption(analysis, target: cst.CSTNode, statement: cst.CSTNode) -> str:
    """The input assumption a rewrite of this write (to ``.at[]``) rests on ("" if none)."""
    return data_assumption(analysis, _written(target, statement))

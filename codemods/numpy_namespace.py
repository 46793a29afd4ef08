"""NumPy -> jax.numpy: array computation moves to `jnp`, everything else stays NumPy (JX6xx, JX7xx).

## What it does
Inside functions, a NumPy call whose data arguments are arrays becomes the same `jax.numpy` call
(JX601); `import jax.numpy as jnp` is added once, or the module's own alias for jax.numpy is used,
and `from numpy import sin` imports are dropped once nothing uses them. Python lists passed as
array arguments are wrapped in `jnp.asarray` (JX602), since jax.numpy refuses lists. A reduction
over a boolean selection, `x[x > t].sum()` or `np.mean(x[x > t])`, becomes the exact
`jnp.where(x > t, x, 0).sum()` / `jnp.mean(x, where=x > t)` (JX603).

It reports, without rewriting: calls that stay NumPy although they compute on arrays (JX604:
jax.numpy lacks the function or one of its keywords, or a dtype jax arrays cannot hold), calls
whose output shape depends on the values (JX702: `np.nonzero`, one-argument `np.where`,
`np.unique`, `x[mask]`, ...), host round-trips on array values (JX701: `float(x)`, `x.item()`,
`x.tolist()`), and `from numpy import *` (JX606), which makes every name unresolvable.

## Why JAX needs it
NumPy functions cannot take traced values: under `jax.jit`, `np.exp(x)` raises
TracerArrayConversionError. jax.numpy computes the same functions on traced values.

## Example
Before:

    import numpy as np

    def energy(positions, masses):
        velocity = np.diff(positions, axis=0)
        return 0.5 * np.sum(masses[:, None] * velocity ** 2)

After:

    import numpy as np
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def energy(positions, masses):
        velocity = jnp.diff(positions, axis=0)
        return 0.5 * jnp.sum(masses[:, None] * velocity ** 2)

## What moves and what stays
- A call moves when its function is NumPy's (resolved from imports: `import numpy as np`,
  `import numpy`, `from numpy import zeros`; a local variable named `np` is not NumPy), one of its
  data arguments is an array by the shared analysis, and the installed jax.numpy has the function
  and accepts the call's arguments (checked against jax.numpy's own signature at run time).
- Calls on static values stay NumPy: `np.zeros(n)`, `np.prod(x.shape)`, `np.arange(3)` run once
  on the host while tracing, exactly as before, and keep shapes and loop bounds static.
- `np.random.*` is left to the randomness codemod (JX2); I/O (`np.load`, `np.savetxt`, ...) and
  module-level code stay NumPy.
- A call whose result may be written in place (`out = np.zeros_like(x); out[i] = ...`, also
  through aliases, views, loop variables and helpers that write their parameters) stays NumPy:
  the in-place codemod (JX1, which runs next) decides about each write and wraps the arrays it
  rewrites in `jnp.asarray`. So a write JX1 cannot rewrite still meets a NumPy array, and the
  program keeps working. The same holds for arrays used where only NumPy arrays work
  (`isinstance(x, np.ndarray)`, `x.flags`, `x.tofile()`).
- Same name, different result dtype (measured against the installed versions with x64 on):
  `np.histogram` (float counts in jax), `np.searchsorted` and `np.digitize` (int32 indices) stay
  NumPy (JX604); `np.convolve`, `np.correlate`, `np.reciprocal` move only when an argument is
  known to be floating (jax returns floats for integers); `np.mean`, `np.std`, `np.median`,
  `np.cov`, `np.percentile` and the like compute in float64 in NumPy even for bool and 32-bit
  inputs, so an argument the analysis knows is bool or narrower is cast to float64 first
  (`np.mean(x > 0)` -> `jnp.mean(jnp.asarray(x > 0, dtype=jnp.float64))`). Inputs of unknown dtype
  are taken to have NumPy's defaults (float64, int64).
- Results with more than one right form move only with `--unsafe` (JX605): `np.argsort` without
  `kind="stable"` (jax.numpy's sort is stable, NumPy's default quicksort may order equal values
  differently), and the eigenvectors, singular vectors and QR factors of `np.linalg.eigh`, `eig`,
  `svd` and `qr` (unique only up to sign, which jax may choose differently). `np.sort` moves as is
  (equal values are indistinguishable) and a `kind=` argument is dropped.

## Assumptions (what the analysis cannot see)
- Array parameters receive arrays (NumPy or JAX), not Python lists: jax.numpy refuses lists with a
  TypeError (loud, never a different number).
- Functions of other modules do not keep or write the arrays passed to them; containers holding
  arrays are not written in place through the container.
- Functions now return jax arrays; callers in other modules that write into a result in place
  must be migrated too (a jax array raises on `r[i] = v`; note `r.sort()` returns a new array).
- Out-of-range indexing raises in NumPy and clamps in JAX; only code inside a `try` that catches
  IndexError can tell, and that code keeps its NumPy arrays.

## Precision
NumPy computes in float64 (`np.zeros(n)`, Python floats); JAX computes in float32 unless x64 is
enabled. With `--precision keep` (the default), a module in which anything moved gets
`jax.config.update("jax_enable_x64", True)` right after its imports (JX607), so the rewritten code
computes in float64 and int64 like the original. This is the only switch JAX has for it, and it
is process-wide: for a script it is exactly right; for a library it holds from the moment the
module is imported (import it before creating JAX arrays elsewhere), and it also makes other JAX
code in the process use 64-bit types. With `--precision float32`, no switch is added: every moved
call's finding says that it now computes in float32 and the module gets one JX703 summary.

## When it refuses
- `from numpy import *` (JX606): nothing in the module is rewritten.
- Output shapes that depend on values (JX702) and host round-trips (JX701) are reported with the
  fix; they are left as they are, since the exact rewrite depends on what the caller needs.
- Functions jax.numpy lacks or treats differently (JX604): the call stays NumPy.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from jaxify.analysis.expressions import code_of
from jaxify.analysis.providers import Scopes
from jaxify.codemod import Codemod
from jaxify.codemods.conversion_tidy import without_redundant_conversions
from jaxify.codemods.numpy_plan import MaskedReduction, Move, Planner
from jaxify.codemods.numpy_support import DEFAULT_NOT_UNIQUE_HINT, NOT_UNIQUE_HINT
from jaxify.codemods.precision import enables_x64, insert_x64_switch
from jaxify.rules import Rule, Safety


class NumpyNamespace(Codemod):
    RULES = (
        Rule("JX601", "numpy-call-to-jax-numpy", Safety.SAFE,
             "A NumPy call on arrays becomes the same jax.numpy call."),
        Rule("JX602", "list-argument-to-array", Safety.SAFE,
             "A Python list passed to a jax.numpy function is wrapped in jnp.asarray."),
        Rule("JX603", "masked-reduction", Safety.SAFE,
             "x[x > t].sum() / .mean() becomes jnp.where / where= without a data-dependent shape."),
        Rule("JX604", "kept-on-numpy", Safety.REPORT,
             "A NumPy call on arrays stays NumPy: jax.numpy lacks it or treats it differently."),
        Rule("JX605", "not-unique-result", Safety.UNSAFE,
             "A result NumPy and jax may give in different valid forms (argsort ties, eigenvector signs)."),
        Rule("JX606", "numpy-star-import", Safety.REPORT,
             "`from numpy import *` hides which names are NumPy's; the module is left alone."),
        Rule("JX607", "enable-x64", Safety.SAFE,
             "x64 is enabled after the imports so the rewritten code keeps NumPy's float64."),
        Rule("JX701", "host-round-trip", Safety.REPORT,
             "float(x), x.item(), x.tolist() on an array value fail under jax.jit."),
        Rule("JX702", "dynamic-shape", Safety.REPORT,
             "An output shape that depends on values (nonzero, unique, x[mask]) cannot be jitted."),
        Rule("JX703", "float32-precision", Safety.REPORT,
             "With --precision float32 the rewritten code computes in float32 where NumPy used float64."),
        Rule("JX704", "numeric-input-assumption", Safety.UNSAFE,
             "A NumPy call on a parameter moves only if callers pass numeric arrays, not lists or objects."),
        Rule("JX705", "traced-index-cast", Safety.UNSAFE,
             "int(v) of an array value that only indexes arrays and feeds tests becomes jnp.astype(v, int)."),
        Rule("JX706", "math-to-jax-numpy", Safety.UNSAFE,
             "math.exp(v) and the other float functions of `math` on an array value become jax.numpy calls."),
    )
    METADATA_DEPENDENCIES = (Scopes,)

    @classmethod
    def applies_to(cls, text: str) -> bool:
        return "numpy" in text

    def __init__(self, context, wrapper):
        super().__init__(context, wrapper)
        self._moves: dict[int, Move] = {}
        self._masked: dict[int, MaskedReduction] = {}
        self._casts: set[int] = set()
        self._planned: set[int] = set()  # the ids of the calls above, all the walk below the module rewrites
        self._jnp = "jnp"
        self._from_imports: dict[str, tuple[str, str | None]] = {}
        self._x64_enabled = False
        self._jnp_import_scheduled = False

    # -- deciding ------------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        stars = [s for s in self.analysis.star_imports() if _module_name(s) == "numpy"]
        for star in stars:
            self.refuse(star, "JX606", "`from numpy import *` hides which names are NumPy's",
                        reason="names cannot be resolved, so nothing in this module is rewritten",
                        hint="import numpy as np and spell the names np.<name>")
        if stars:
            return
        self._jnp = _jax_numpy_alias(node) or "jnp"
        self._x64_enabled = enables_x64(node, self.analysis.qualified_name)
        self._from_imports = _numpy_from_imports(node)
        # the plan with nothing declined depends on the tree alone: the gate's reruns of the same
        # text share it (only what the options and the verdict decline is planned again)
        planner = self.analysis.derived(Planner)
        declined = frozenset(
            id(move.call) for plan in planner.plans for move in plan.moves if not self._would_apply(move)
        )
        if declined:  # what feeds a call that stays NumPy must stay NumPy too: plan again
            planner = Planner(self.analysis, declined, earlier=planner)
        for plan in planner.plans:
            for report in plan.reports:
                self.refuse(report.node, report.code, report.message, reason=report.reason, hint=report.hint)
            for move in plan.moves:
                if self._decide_move(move):
                    self._moves[id(move.call)] = move
            for call in plan.casts:
                if self._decide_cast(call):
                    self._casts.add(id(call))
            for masked in plan.masked:
                label = cst.Module([]).code_for_node(masked.call)
                if self.fix(masked.call, "JX603", f"`{label}` reduces without selecting"
                            + self._precision_note(masked.call)):
                    self._masked[id(masked.call)] = masked
        self._planned = self._moves.keys() | self._masked.keys() | self._casts

    def rewrites_below(self) -> bool:
        # leave_Call rewrites only the planned calls; leave_IndentedBlock drops a conversion only
        # after a creator one of them moved
        return bool(self._moves or self._masked or self._casts)

    def rewrites_in(self, statement: cst.CSTNode) -> bool:
        return self.holds_any(statement, self._planned)

    def _would_apply(self, move: Move) -> bool:
        """Whether the options and ``# jaxify: ignore`` comments let this move happen."""
        code = move.unsafe_code if move.unsafe_because else "JX601"
        if move.unsafe_because and not self.options.unsafe:
            return False
        if (move.wrap_args or move.wrap_elements) and not self.enabled("JX602", move.call):
            return False
        return self.enabled(code, move.call)

    def _decide_move(self, move: Move) -> bool:
        label = cst.Module([]).code_for_node(move.call.func)
        target = f"{self._jnp}.{move.member}"
        if move.wrap_args or move.wrap_elements:
            if not self.fix(move.call, "JX602", f"Python list passed to `{target}` is wrapped in jnp.asarray"):
                return False
        code = move.unsafe_code if move.unsafe_because else "JX601"
        widened = " (bool/narrow argument cast to float64, as the original computes it)" if move.widen_args else ""
        return self.fix(move.call, code, f"`{label}` -> `{target}`" + widened + self._precision_note(move.call),
                        unsafe_because=move.unsafe_because,
                        hint=NOT_UNIQUE_HINT.get(move.member, DEFAULT_NOT_UNIQUE_HINT) if code == "JX605" else "")

    def _decide_cast(self, call: cst.Call) -> bool:
        value = code_of(call.args[0].value)
        return self.fix(call, "JX705", f"`int({value})` -> `{self._jnp}.astype({value}, int)`: the index stays traced",
                        unsafe_because=(f"assumes `{value}` is one finite number within int64: NumPy's int() raises "
                                        "on NaN, infinity or several elements, where the cast goes on with an "
                                        "unspecified value (and jax clamps the index it makes)"),
                        hint="check the value is finite and in range where it is computed (or clip it)")

    def _precision_note(self, node: cst.CSTNode) -> str:
        if self.options.precision != "float32":
            return ""
        dtype = self.analysis.dtype_of(node)
        if dtype is not None and not dtype.startswith(("float64", "complex128", "int64")):
            return ""
        return "; computes in 32-bit where NumPy used 64-bit (--precision float32)"

    # -- rewriting -----------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        move = self._moves.get(id(original_node))
        if move is not None:
            return self._moved_call(move, updated_node)
        if id(original_node) in self._casts:
            self._use_jnp()
            return cst.Call(self._jnp_function("astype"), [updated_node.args[0].with_changes(comma=cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" "))), cst.Arg(cst.Name("int"))])
        masked = self._masked.get(id(original_node))
        if masked is not None:
            return self._masked_call(masked, updated_node)
        return updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        body = without_redundant_conversions(original_node.body, updated_node.body, self._jnp)
        return updated_node if body is None else updated_node.with_changes(body=body)

    def _jnp_function(self, member: str) -> cst.BaseExpression:
        """``jnp.linalg.norm`` for "linalg.norm", built directly (no parse per call)."""
        parts = f"{self._jnp}.{member}".split(".")
        expr: cst.BaseExpression = cst.Name(parts[0])
        for part in parts[1:]:
            expr = cst.Attribute(expr, cst.Name(part))
        return expr

    def _asarray(self, value: cst.BaseExpression, dtype: str | None = None) -> cst.Call:
        args = [cst.Arg(value)]
        if dtype is not None:
            args = [cst.Arg(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                    cst.Arg(self._jnp_function(dtype), keyword=cst.Name("dtype"),
                            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))]
        return cst.Call(self._jnp_function("asarray"), args)

    def _moved_call(self, move: Move, call: cst.Call) -> cst.Call:
        args = []
        for index, arg in enumerate(call.args):
            if arg.keyword is not None and arg.keyword.value in move.drop_keywords:
                continue
            if index in move.wrap_args:
                arg = arg.with_changes(value=self._asarray(arg.value))
            if index in move.widen_args:
                arg = arg.with_changes(value=self._asarray(arg.value, dtype="float64"))
            if index == 0 and move.wrap_elements:
                elements = [
                    e.with_changes(value=self._asarray(e.value)) if i in move.wrap_elements else e
                    for i, e in enumerate(arg.value.elements)
                ]
                arg = arg.with_changes(value=arg.value.with_changes(elements=elements))
            args.append(arg)
        if args and len(args) < len(call.args):
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self._use_jnp()
        if isinstance(call.func, cst.Name) and call.func.value in self._from_imports:
            name, alias = self._from_imports[call.func.value]
            self.remove_import("numpy", name, alias)
        return call.with_changes(func=self._jnp_function(move.member), args=args)

    def _masked_call(self, masked: MaskedReduction, call: cst.Call) -> cst.BaseExpression:
        self._use_jnp()
        subscript = call.func.value if isinstance(call.func, cst.Attribute) and not call.args else call.args[0].value
        array, mask = subscript.value, subscript.slice[0].slice.value
        if masked.reduction == "mean":
            return cst.Call(self._jnp_function("mean"), [
                cst.Arg(array), cst.Arg(mask, keyword=cst.Name("where"),
                                        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))),
            ])
        selected = cst.Call(self._jnp_function("where"), [cst.Arg(mask), cst.Arg(array), cst.Arg(cst.Integer("0"))])
        if isinstance(call.func, cst.Attribute) and not call.args:
            return call.with_changes(func=call.func.with_changes(value=selected))
        return cst.Call(self._jnp_function("sum"), [cst.Arg(selected)])

    def _jax_numpy_is_new(self, module: cst.Module) -> bool:
        """The module uses jax.numpy now, and the file as the user wrote it did not."""
        original = self.context.original_text
        return _jax_numpy_alias(module) is not None and "jax.numpy" not in original and "from jax import" not in original

    def _use_jnp(self) -> None:
        if self._jnp == "jnp" and not self._jnp_import_scheduled:
            self.add_import("jax.numpy", asname="jnp")
            self._jnp_import_scheduled = True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.options.precision == "float32":
            if self._moves or self._masked or self._casts or self._jax_numpy_is_new(original_node):
                # reported on every pass, so the engine's last, unchanging pass reports it too
                self.refuse(original_node, "JX703", "this module now computes in float32 where NumPy used float64",
                            reason="--precision float32 trades exactness for speed; without x64 JAX has no 64-bit "
                                   "types, so int64 values also become int32 and wrap around past 2**31",
                            hint="run without --precision float32 to keep float64")
            return updated_node
        if not (self._moves or self._masked or self._casts):
            return updated_node
        if self._x64_enabled or not self.fix(
            original_node, "JX607", "x64 enabled after the imports: the rewritten code keeps NumPy's float64"
        ):
            return updated_node
        self.add_import("jax")
        return insert_x64_switch(updated_node)


def _module_name(node: cst.ImportFrom) -> str:
    return cst.Module([]).code_for_node(node.module) if node.module is not None else ""


def _jax_numpy_alias(module: cst.Module) -> str | None:
    """The name the module already gives jax.numpy (``import jax.numpy as jn``), if any."""
    for statement in module.body:
        if not m.matches(statement, m.SimpleStatementLine()):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.evaluated_name == "jax.numpy":
                        return alias.evaluated_alias or "jax.numpy"
            elif isinstance(small, cst.ImportFrom) and _module_name(small) == "jax" and not isinstance(
                small.names, cst.ImportStar
            ):
                for alias in small.names:
                    if alias.evaluated_name == "numpy":
                        return alias.evaluated_alias or "numpy"
    return None


def _numpy_from_imports(module: cst.Module) -> dict[str, tuple[str, str | None]]:
    """Local name -> (NumPy name, alias) for ``from numpy import sin, cos as c``."""
    found = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and _module_name(small) == "numpy" and not isinstance(
                small.names, cst.ImportStar
            ):
                for alias in small.names:
                    found[alias.evaluated_alias or alias.evaluated_name] = (alias.evaluated_name, alias.evaluated_alias)
    return found

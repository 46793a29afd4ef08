"""Argument rewrites for removed functions whose replacement takes different arguments.

Each rewrite gets the call as it stands (``call``), the expression that names the replacement
function (``func``), the call from the visited tree (``original``, for metadata look-ups through
``qualified_names``), and returns either the new expression or the reason it cannot be rewritten
exactly. Keyword renames keep each argument's own formatting.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

QualifiedNames = Callable[[cst.CSTNode], set[str]]
CallRewrite = Callable[[cst.Call, cst.BaseExpression, cst.Call, QualifiedNames], "cst.BaseExpression | str"]

STAR_REASON = "the call passes `*args` or `**kwargs`, so the arguments cannot be matched to parameters"


def _has_star(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def with_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    """Every argument but the last gets a comma (the last keeps what it had, e.g. a trailing comma)."""
    fixed = []
    for index, arg in enumerate(args):
        if index < len(args) - 1 and not isinstance(arg.comma, cst.Comma):
            arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fixed.append(arg)
    return fixed


def rename_keywords(args: tuple[cst.Arg, ...] | list[cst.Arg], renames: dict[str, str]) -> list[cst.Arg]:
    return [
        arg.with_changes(keyword=cst.Name(renames[arg.keyword.value]))
        if arg.keyword is not None and arg.keyword.value in renames
        else arg
        for arg in args
    ]


def in1d(call: cst.Call, func: cst.BaseExpression, original: cst.Call, qualified_names: QualifiedNames):
    """``in1d(a, b, ...)`` -> ``isin(a, b, ...).ravel()``: ``in1d`` flattened its first argument."""
    if any(arg.star == "**" for arg in call.args):
        return STAR_REASON
    args = rename_keywords(call.args, {"ar1": "element", "ar2": "test_elements"})
    isin = call.with_changes(func=func, args=args)
    return cst.Call(func=cst.Attribute(value=isin, attr=cst.Name("ravel")))


def msort(call: cst.Call, func: cst.BaseExpression, original: cst.Call, qualified_names: QualifiedNames):
    """``msort(a)`` -> ``sort(a, axis=0)``."""
    if _has_star(call) or len(call.args) != 1:
        return "`msort` takes exactly one argument; this call does not match it"
    (arg,) = call.args
    if arg.keyword is not None and arg.keyword.value != "a":
        return f"`msort` has no parameter `{arg.keyword.value}`"
    array = arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=func, args=with_commas([array, _keyword("axis", cst.Integer("0"))]))


INEXACT_TYPE_NAMES = frozenset(
    {
        "float", "complex", "float16", "float32", "float64", "half", "single", "double", "longdouble",
        "complex64", "complex128", "csingle", "cdouble", "clongdouble",
        "float_", "complex_", "cfloat", "longfloat", "singlecomplex",  # removed NumPy aliases
    }
)
"""Builtins and NumPy attributes that name a floating or complex type."""

INEXACT_TYPE_CODES = INEXACT_TYPE_NAMES - {"float_", "complex_", "cfloat", "longfloat", "singlecomplex"} | {
    "f", "d", "e", "g", "F", "D", "G", "f2", "f4", "f8", "c8", "c16",
}
"""Strings ``np.dtype`` reads as a floating or complex type."""


def _is_inexact_dtype(original: cst.BaseExpression, qualified_names: QualifiedNames) -> bool:
    """True when ``original`` is visibly a floating or complex dtype (a name or a string literal)."""
    if isinstance(original, cst.SimpleString):
        return original.evaluated_value in INEXACT_TYPE_CODES
    names = qualified_names(original)
    if len(names) != 1:
        return False
    (name,) = names
    module, _, short = name.rpartition(".")
    return short in INEXACT_TYPE_NAMES and module in ("", "builtins", "numpy")


def asfarray(call: cst.Call, func: cst.BaseExpression, original: cst.Call, qualified_names: QualifiedNames):
    """``asfarray(a)`` -> ``asarray(a, dtype=float)``; a given dtype is kept when it is inexact.

    ``asfarray`` replaced any non-inexact dtype (an integer dtype, say) by float64, so a dtype
    the tool cannot see to be floating or complex is refused.
    """
    if _has_star(call) or not 1 <= len(call.args) <= 2:
        return "`asfarray` takes `a` and an optional `dtype`; this call does not match it"
    by_name: dict[str, tuple[cst.Arg, cst.Arg]] = {}
    for position, (arg, original_arg) in enumerate(zip(call.args, original.args)):
        name = arg.keyword.value if arg.keyword is not None else ("a", "dtype")[position]
        if name not in ("a", "dtype") or name in by_name:
            return f"`asfarray` has no parameter `{name}` here"
        by_name[name] = (arg, original_arg)
    if "a" not in by_name:
        return "the array argument is missing"
    array = by_name["a"][0].value
    if "dtype" in by_name:
        dtype, original_dtype = by_name["dtype"][0].value, by_name["dtype"][1].value
        if not _is_inexact_dtype(original_dtype, qualified_names):
            return (
                "`asfarray` turned a non-floating dtype into float64, and this dtype is not visibly "
                "a floating or complex type"
            )
    else:
        dtype = cst.Name("float")
    return call.with_changes(func=func, args=with_commas([cst.Arg(array), _keyword("dtype", dtype)]))


JIT_KEYWORDS = frozenset(
    {
        "static_argnums", "static_argnames", "donate_argnums", "donate_argnames",
        "keep_unused", "device", "backend", "inline", "compiler_options",
    }
)


def pjit(call: cst.Call, func: cst.BaseExpression, original: cst.Call, qualified_names: QualifiedNames):
    """``pjit(f, **options)`` -> ``jax.jit(f, **options)`` when no sharding is given.

    ``pjit`` resolves bare ``PartitionSpec`` shardings against the enclosing ``with mesh:``;
    ``jax.jit`` does not, so calls with ``in_shardings`` / ``out_shardings`` are refused.
    """
    if _has_star(call):
        return STAR_REASON
    positional = [arg for arg in call.args if arg.keyword is None]
    if not positional:
        return "no function is passed to `pjit` here"
    if len(positional) > 1:
        return "shardings are passed positionally; `jax.jit` takes them only as keywords"
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value not in JIT_KEYWORDS:
            return (
                f"`{arg.keyword.value}=` has no exact `jax.jit` equivalent (pjit resolves shardings "
                "against the enclosing `with mesh:`, jax.jit does not)"
            )
    return call.with_changes(func=func)


def _x64_context(default: str):
    """``enable_x64(new_val=True)`` / ``disable_x64()`` -> ``jax.enable_x64(<flag>)``."""

    def rewrite(call: cst.Call, func: cst.BaseExpression, original: cst.Call, qualified_names: QualifiedNames):
        if _has_star(call) or len(call.args) > (default == "True"):
            return "the call does not match the old signature"
        if not call.args:
            return call.with_changes(func=func, args=[cst.Arg(cst.Name(default))])
        (arg,) = call.args
        if arg.keyword is not None and arg.keyword.value != "new_val":
            return f"the old function has no parameter `{arg.keyword.value}`"
        return call.with_changes(func=func, args=[arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)])

    return rewrite


BARE_DECORATORS = frozenset({"pjit"})
"""Rewrites whose function, used bare as a decorator (``@pjit`` is ``pjit(f)``), is replaced as is."""

CALL_REWRITES: dict[str, CallRewrite] = {
    "in1d": in1d, "msort": msort, "asfarray": asfarray, "pjit": pjit,
    "enable_x64": _x64_context("True"), "disable_x64": _x64_context("False"),
}


def by_position(call: cst.Call, names: tuple[str, ...]) -> cst.Call | str:
    """``clip(a=x, a_max=1)`` -> ``clip(x, None, 1)``: the old keywords ``names`` passed by position."""
    if _has_star(call):
        return STAR_REASON
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    unknown = set(keywords) - set(names[len(positional):])
    if unknown or len(positional) > len(names):
        return "the call mixes old keywords with positions or other keywords: " + ", ".join(sorted(unknown))
    slots: list[cst.Arg | None] = [*positional, *(keywords.get(name) for name in names[len(positional):])]
    while slots and slots[-1] is None:
        slots.pop()
    if not slots or slots[0] is None:
        return f"the first argument (`{names[0]}`) is missing"
    args = [
        cst.Arg(cst.Name("None")) if arg is None else arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
        for arg in slots
    ]
    return call.with_changes(args=with_commas(args))

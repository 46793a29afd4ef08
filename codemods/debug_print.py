"""``print(...)`` as ``jax.debug.print(...)``: the same text, printed on every call of jitted code
instead of once at trace time. ``debug_print_arguments`` turns print's arguments into a format
string with ``{}`` fields and the values, or raises :class:`PrintConversion` saying why not.
"""

from __future__ import annotations

import libcst as cst

from jaxify.analysis.expressions import string_literal


class PrintConversion(Exception):
    """A print call whose output jax.debug.print cannot reproduce; the message says why."""


def escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def debug_print_arguments(call: cst.Call) -> list[cst.Arg]:
    """The arguments of the ``jax.debug.print`` that prints what ``call`` (a print) prints."""
    separator = " "
    positional = []
    for arg in call.args:
        if arg.star:
            raise PrintConversion("it unpacks `*args`")
        if arg.keyword is None:
            positional.append(arg.value)
            continue
        keyword = arg.keyword.value
        literal = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
        if keyword == "sep" and isinstance(literal, str):
            separator = literal
        elif keyword == "end" and literal == "\n":
            continue
        elif keyword == "flush":
            continue
        else:
            raise PrintConversion(f"it passes `{keyword}=`, which jax.debug.print does not support")
    if len(positional) == 1 and is_format_call(positional[0]):
        format_call = positional[0]
        return [cst.Arg(format_call.func.value), *[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in format_call.args]]
    pieces: list[str] = []
    values: list[cst.BaseExpression] = []
    for value in positional:
        if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
            pieces.append(escape_braces(value.evaluated_value))
        elif isinstance(value, cst.FormattedString):
            text, inner = formatted_string(value)
            pieces.append(text)
            values.extend(inner)
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo) and isinstance(
            value.left, (cst.SimpleString, cst.ConcatenatedString)
        ):
            raise PrintConversion("it formats with `%`, which jaxify does not convert")
        elif isinstance(value, cst.ConcatenatedString):
            raise PrintConversion("it prints an implicitly concatenated string")
        else:
            pieces.append("{}")
            values.append(value)
    fmt = string_literal(separator.join(pieces))
    return [cst.Arg(fmt), *[cst.Arg(v) for v in values]]


def is_format_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
        and isinstance(node.func.value, cst.SimpleString)
        and not any(arg.star for arg in node.args)
    )


def formatted_string(node: cst.FormattedString) -> tuple[str, list[cst.BaseExpression]]:
    """``f"a {x:.2f} b"`` -> ("a {:.2f} b", [x]) as a str.format template."""
    if "b" in node.prefix.lower():
        raise PrintConversion("it prints bytes")
    if "r" in node.prefix.lower():
        raise PrintConversion("it prints a raw f-string")
    text: list[str] = []
    values: list[cst.BaseExpression] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            # Source text of the literal part: decode escapes, then re-escape braces for format().
            literal = cst.parse_expression('"' + part.value.replace('"', '\\"') + '"').evaluated_value
            text.append(escape_braces(literal.replace("{{", "{").replace("}}", "}")))
            continue
        if part.equal is not None:
            raise PrintConversion("it uses the `{x=}` form")
        spec = ""
        if part.format_spec:
            if any(not isinstance(p, cst.FormattedStringText) for p in part.format_spec):
                raise PrintConversion("its format spec holds an expression")
            spec = ":" + "".join(p.value for p in part.format_spec)
        conversion = f"!{part.conversion}" if part.conversion else ""
        text.append("{" + conversion + spec + "}")
        values.append(part.expression)
    return "".join(text), values

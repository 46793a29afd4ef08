"""The rule table: every rule code, its family, its safety class and a one-line summary.

Rules are declared next to the codemod that implements them (``RULES`` on the codemod class) so
that a rule and its documentation never drift apart; this module gathers them into one table,
in pipeline order, for ``jaxify rules`` and for ``--select`` / ``--ignore``.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect


class Safety(str, enum.Enum):
    SAFE = "safe"  # keeps the program's results for every input
    UNSAFE = "unsafe"  # right under an assumption the tool cannot prove; applied only with --unsafe
    REPORT = "report"  # never rewritten: a finding that tells the user what to do


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    name: str
    safety: Safety
    summary: str
    doc: str = ""  # extra per-rule documentation; the family's module docstring is printed too


FAMILIES = {
    "JX0": "engine",
    "JX1": "in-place mutation -> .at[]",
    "JX2": "randomness -> jax.random keys",
    "JX3": "loops -> vmap / scan / fori_loop / while_loop",
    "JX4": "conditionals -> lax.cond / jnp.where / lax.select",
    "JX5": "deprecated / removed JAX and NumPy APIs",
    "JX6": "NumPy -> jax.numpy",
    "JX7": "purity and sharp bits",
    "JX8": "jit wrapping and static arguments",
}

ENGINE_DOC = """Engine findings: files jaxify could not read, parse or rewrite.

These are not rewrites. A file with an engine finding is left untouched, the rest of the run goes
on, and the exit code is 2.
"""

ENGINE_RULES = (
    Rule("JX001", "unreadable-file", Safety.REPORT, "File could not be read or decoded."),
    Rule("JX002", "syntax-error", Safety.REPORT, "File does not parse; it was skipped."),
    Rule(
        "JX003",
        "internal-error",
        Safety.REPORT,
        "A codemod failed or produced invalid or non-idempotent code; the file was left untouched.",
    ),
)


def family_of(code: str) -> str:
    return FAMILIES.get(code[:3], "unknown")


def all_rules() -> list[Rule]:
    from jaxify.codemods import CODEMODS

    rules = list(ENGINE_RULES)
    for codemod in CODEMODS:
        rules.extend(codemod.RULES)
    return rules


def find_rule(code: str) -> Rule | None:
    return next((rule for rule in all_rules() if rule.code == code.upper()), None)


def documentation(code: str) -> str | None:
    """The text ``jaxify rules CODE`` prints: the rule line, its own notes, its family's docs."""
    from jaxify.codemods import CODEMODS

    rule = find_rule(code)
    if rule is None:
        return None
    family_doc = ENGINE_DOC
    for codemod in CODEMODS:
        if rule in codemod.RULES:
            family_doc = inspect.getdoc(inspect.getmodule(codemod)) or ""
    parts = [f"{rule.code} {rule.name} ({rule.safety.value}; {family_of(rule.code)})", "", rule.summary]
    if rule.doc:
        parts += ["", inspect.cleandoc(rule.doc)]
    parts += ["", family_doc.strip()]
    return "\n".join(parts) + "\n"

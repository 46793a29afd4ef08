"""The rule table: every rule code, its family, its safety class and a one-line summary.

Rules are declared next to the codemod that implements them (``RULES`` on the codemod class) so
that a rule and its documentation never drift apart; this module gathers them into one table,
in pipeline order, for ``jaxify rules`` and for ``--select`` / ``--ignore``. Each rule's
documentation has four sections: *What it does* (its summary), *Why JAX needs it* and *When it
refuses* (from its module's docstring), and *Example* (rendered from one of its test fixtures,
see :mod:`jaxify.rule_examples`).
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
    doc: str = ""  # more on what this rule does; its other sections come from its module's docstring


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

## Why JAX needs it
It does not: these findings are about the file, not about JAX. A file jaxify cannot read or
parse cannot be rewritten safely, and a rewrite that fails its own checks (the output must parse
and a second run must change nothing) is a bug in jaxify that must not reach the user's code.

## Example
A file with a syntax error:

    def f(x)
        return x

gives `f.py:1:9 JX002 syntax error: expected ':' [not fixed: file skipped]`.

## When it refuses
Always: a file with an engine finding is left untouched, the rest of the run goes on, and the
exit code is 2.
"""

SECTIONS = ("What it does", "Why JAX needs it", "Example", "When it refuses")

ENGINE_RULES = (
    Rule("JX001", "unreadable-file", Safety.REPORT, "File could not be read or decoded."),
    Rule("JX002", "syntax-error", Safety.REPORT, "File does not parse; it was skipped."),
    Rule(
        "JX003",
        "internal-error",
        Safety.REPORT,
        "A codemod failed or produced invalid or non-idempotent code; the file was left untouched.",
    ),
    Rule(
        "JX004",
        "unverified-rewrite",
        Safety.REPORT,
        "With --require verified: a function whose rewrite was not verified keeps its original code.",
        doc="""`jaxify PATH --apply --require verified --capture "pytest -q"` runs the command, records the
        calls it makes to the changed module-level functions, verifies each rewrite on them and on
        declared `jaxify_examples()`, and writes only the rewrites that verify (or are proven
        identities). A function without such evidence, one whose rewrite failed, one linked to
        such a function (they name each other: a caller rebinding a new return contract, a
        threaded key), a rewritten class, and a module whose module-level code changed keep their
        original text; the rest of the file is still rewritten. Unlike the other engine findings
        this one does not fail the file: the exit code is 1, as for any finding that needs a person.""",
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


def find_rule(code_or_name: str) -> Rule | None:
    """The rule with this code (``JX301``) or name (``loop-to-vmap``)."""
    wanted = code_or_name.strip()
    return next((rule for rule in all_rules() if rule.code == wanted.upper() or rule.name == wanted.lower()), None)


def rules_matching(query: str | None) -> list[Rule]:
    """Every rule when ``query`` is empty; else those whose code starts with it (``JX3``) or whose
    name is it."""
    if not query:
        return all_rules()
    found = [rule for rule in all_rules() if rule.code.startswith(query.upper()) or rule.name == query.lower()]
    return found


def family_sections(rule: Rule) -> dict[str, str]:
    """The ``## Section`` parts of the docstring of the module that implements ``rule``."""
    from jaxify.codemods import CODEMODS

    doc = ENGINE_DOC
    for codemod in CODEMODS:
        if rule in codemod.RULES:
            doc = inspect.getdoc(inspect.getmodule(codemod)) or ""
    sections: dict[str, list[str]] = {}
    current = None
    for line in doc.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


def sections(rule: Rule) -> dict[str, str]:
    """The four sections of a rule's documentation, then the family's other notes, in order."""
    from jaxify.rule_examples import as_text, load

    family = family_sections(rule)
    what = rule.summary + (f"\n\n{inspect.cleandoc(rule.doc)}" if rule.doc else "")
    example = load().get(rule.code)
    result = {
        "What it does": what,
        "Why JAX needs it": family.get("Why JAX needs it", ""),
        "Example": as_text(example) if example else family.get("Example", ""),
        "When it refuses": family.get("When it refuses", ""),
    }
    for name, text in family.items():
        if name not in SECTIONS:
            result[name] = text
    return result


def documentation(code_or_name: str) -> str | None:
    """The text ``jaxify rules CODE`` prints: the rule line, then its sections."""
    rule = find_rule(code_or_name)
    if rule is None:
        return None
    parts = [f"{rule.code} {rule.name} ({rule.safety.value}; {family_of(rule.code)})"]
    for name, text in sections(rule).items():
        parts += ["", f"## {name}", text]
    return "\n".join(parts) + "\n"


def as_json(rules: list[Rule]) -> list[dict[str, str]]:
    return [
        {"code": r.code, "name": r.name, "family": family_of(r.code), "safety": r.safety.value, "summary": r.summary}
        for r in rules
    ]

"""Every rule is documented in the same four sections, its example comes from its fixtures, and
`jaxify rules` finds rules by code, prefix and name."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from harness import FIXTURES
from jaxify.cli import main
from jaxify.rule_examples import load, render
from jaxify.rules import SECTIONS, all_rules, documentation, sections

RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_has_the_four_sections(rule):
    found = sections(rule)
    for name in SECTIONS:
        assert found.get(name, "").strip(), f"{rule.code} has no '{name}' section"
    text = documentation(rule.code)
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")][:4] == list(SECTIONS)


@pytest.mark.parametrize("rule", [r for r in RULES if not r.code.startswith("JX0")], ids=lambda rule: rule.code)
def test_every_rewrite_rule_shows_an_example_from_its_fixtures(rule):
    example = load().get(rule.code)
    assert example is not None, f"no fixture reports {rule.code}"
    assert (FIXTURES / f"{example['fixture']}.py").exists()
    assert f"From tests/fixtures/{example['fixture']}.py" in sections(rule)["Example"]


def test_rendered_examples_match_the_fixtures():
    """The committed rendering is what the fixtures give today (regenerate: python -m jaxify.rule_examples)."""
    assert load() == render(FIXTURES)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_a_rule_shows_its_own_example_not_its_familys():
    result = run("rules", "JX301")
    assert result.exit_code == 0
    example = result.output.split("## Example", 1)[1].split("## When it refuses", 1)[0]
    assert "jax.vmap(" in example and "fori_loop" not in example


def test_rules_by_prefix_name_and_as_json():
    listed = run("rules", "JX3")
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.output.splitlines()] == ["JX301", "JX302", "JX303", "JX304", "JX305", "JX306", "JX307", "JX308", "JX309"]
    assert run("rules", "loop-to-vmap").output == run("rules", "JX301").output
    data = json.loads(run("rules", "--format", "json").output)
    assert [entry["code"] for entry in data] == [rule.code for rule in RULES]
    assert set(data[0]) == {"code", "name", "family", "safety", "summary"}
    one = json.loads(run("rules", "JX301", "--format", "json").output)
    assert one == [{"code": "JX301", "name": "loop-to-vmap", "family": data[[d["code"] for d in data].index("JX301")]["family"],
                    "safety": "safe", "summary": RULES[[r.code for r in RULES].index("JX301")].summary}]
    assert run("rules", "JX999").exit_code == 2

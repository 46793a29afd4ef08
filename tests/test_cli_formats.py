"""Every --output-format through click's runner: GitHub lines matched exactly, SARIF validated
against a schema, JUnit parsed as XML, JSON documents with end positions, rules and edits."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from jaxify.cli import main

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
NEEDS_PERSON = (
    "import numpy as np\n\n\n"
    "def peaks(x):\n    return np.maximum.accumulate(x)\n\n\n"
    "def noisy(x):\n    return x + np.random.normal(size=x.shape)\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "legacy.py").write_text(LEGACY)
    (tmp_path / "pkg" / "review.py").write_text(NEEDS_PERSON)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, ["pkg", "--jobs", "1", *args], catch_exceptions=False)


def test_github_annotations_are_exact_lines(project):
    result = run("--output-format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::warning file=pkg/review.py,line=5,col=12,endLine=5,title=JX604::`np.maximum.accumulate` stays NumPy "
        "[not fixed: jax.numpy has no `maximum.accumulate`]%0Ahelp: compute it with jax.numpy functions, or keep "
        "this code out of jitted functions",
        "::warning file=pkg/review.py,line=8,col=1,endLine=9,title=JX205::`noisy` draws random numbers: it takes a "
        "keyword-only `key` and splits it for each draw; results now depend on the key the caller passes "
        "[unsafe: callers outside this module must now pass `key=`; calls inside this module are updated]%0Ahelp: "
        "run with --unsafe to add the parameter; update callers in other modules to pass a key",
    ]
    with_fixes = run("--format", "github", "--show-fixes").output.splitlines()
    assert "::notice file=pkg/legacy.py,line=5,col=12,endLine=5,title=JX501::" in with_fixes[0]


def test_github_escapes_what_would_end_a_property():
    from jaxify.formats.ci import _escape_property

    assert _escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


# A hand-written subset of the SARIF 2.1.0 schema (the official one cannot be downloaded at test
# time): every object jaxify writes, with the official schema's required properties, enumerations,
# minimums and `additionalProperties: false`, so a misspelt or misplaced property fails.
def _object(properties: dict, required: tuple = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties, "required": list(required)}


MESSAGE = _object({"text": {"type": "string"}}, ("text",))
REGION = _object({
    "startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1},
    "endLine": {"type": "integer", "minimum": 1}, "endColumn": {"type": "integer", "minimum": 1},
    "charOffset": {"type": "integer", "minimum": -1}, "charLength": {"type": "integer", "minimum": 0},
})
ARTIFACT_LOCATION = _object({"uri": {"type": "string", "format": "uri-reference"}}, ("uri",))
PROPERTY_BAG = {"type": "object"}
SARIF_SUBSET = _object({
    "$schema": {"type": "string"},
    "version": {"enum": ["2.1.0"]},
    "runs": {"type": "array", "items": _object({
        "tool": _object({"driver": _object({
            "name": {"type": "string"}, "version": {"type": "string"},
            "rules": {"type": "array", "uniqueItems": True, "items": _object({
                "id": {"type": "string"}, "name": {"type": "string"}, "shortDescription": MESSAGE,
                "help": MESSAGE, "properties": PROPERTY_BAG,
            }, ("id",))},
        }, ("name",))}, ("driver",)),
        "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
        "results": {"type": "array", "items": _object({
            "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
            "level": {"enum": ["none", "note", "warning", "error"]}, "message": MESSAGE,
            "locations": {"type": "array", "items": _object({"physicalLocation": _object(
                {"artifactLocation": ARTIFACT_LOCATION, "region": REGION})})},
            "fixes": {"type": "array", "items": _object({
                "description": MESSAGE,
                "artifactChanges": {"type": "array", "minItems": 1, "items": _object({
                    "artifactLocation": ARTIFACT_LOCATION,
                    "replacements": {"type": "array", "minItems": 1, "items": _object({
                        "deletedRegion": REGION, "insertedContent": _object({"text": {"type": "string"}}),
                    }, ("deletedRegion",))},
                }, ("artifactLocation", "replacements"))},
            }, ("artifactChanges",))},
            "properties": PROPERTY_BAG,
        }, ("message",))},
    }, ("tool",))},
}, ("version", "runs"))


def test_sarif_validates_and_its_fix_rebuilds_the_rewrite(project):
    result = run("--output-format", "sarif")
    log = json.loads(result.output)
    jsonschema.validate(log, SARIF_SUBSET, format_checker=jsonschema.FormatChecker())
    sarif_run = log["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in sarif_run["results"]}
    assert {"JX501", "JX604", "JX205"} <= set(by_rule)
    for entry in sarif_run["results"]:
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"]
    assert by_rule["JX604"]["level"] == "warning" and by_rule["JX501"]["level"] == "note"
    (replacement,) = by_rule["JX501"]["fixes"][0]["artifactChanges"][0]["replacements"]
    start, length = replacement["deletedRegion"]["charOffset"], replacement["deletedRegion"]["charLength"]
    rebuilt = LEGACY[:start] + replacement["insertedContent"]["text"] + LEGACY[start + length:]
    assert rebuilt == LEGACY.replace("jax.tree_map", "jax.tree.map")


def test_junit_is_xml_with_a_failure_per_finding_that_needs_a_person(project):
    root = ElementTree.fromstring(run("--output-format", "junit").output)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"pkg/legacy.py", "pkg/review.py"}
    failures = [case.find("failure").get("type") for case in suites["pkg/review.py"]]
    assert failures == ["JX604", "JX205"]
    assert suites["pkg/legacy.py"].get("failures") == "0"


def test_gitlab_code_quality(project):
    issues = json.loads(run("--output-format", "gitlab").output)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("JX604", "pkg/review.py", 5), ("JX205", "pkg/review.py", 8)
    ]
    assert len({i["fingerprint"] for i in issues}) == 2 and all(i["severity"] == "minor" for i in issues)


def test_markdown_summary_has_a_table_by_rule_and_the_findings_to_decide(project):
    text = run("--output-format", "markdown").output
    assert "| JX501 | " in text and "| JX604 | " in text
    assert "### Findings that need a person (2)" in text
    assert "| `pkg/review.py:5:12` | JX604 |" in text
    assert "pkg/legacy.py:5" not in text  # a fix is counted in the table, not listed


def test_json_carries_end_positions_rules_applicability_and_edits(project):
    document = json.loads(run("--output-format", "json").output)
    findings = {f["code"]: f for f in document["findings"]}
    fixed = findings["JX501"]
    assert (fixed["line"], fixed["col"], fixed["end_line"], fixed["end_col"]) == (5, 12, 5, 24)
    assert fixed["rule"]["name"] and fixed["rule"]["documentation"] == "jaxify rules JX501"
    assert fixed["applicability"] == "safe"
    assert fixed["fix"]["edits"] == [
        {"start_line": 5, "end_line": 5, "content": "    return jax.tree.map(lambda x: 2 * x, tree)\n"}
    ]
    assert fixed["fix"]["applied"] is False
    assert findings["JX205"]["applicability"] == "unsafe" and findings["JX604"]["applicability"] == "none"
    assert findings["JX604"]["fix"] is None


def test_json_lines_is_one_finding_per_line(project):
    lines = run("--output-format", "json-lines").output.splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["JX501", "JX604", "JX205"]


def test_statistics_count_each_rule_by_outcome(project):
    result = run("--statistics")
    rows = [line.split() for line in result.output.splitlines()]
    assert {tuple(r[:3]) for r in rows} == {("1", "JX205", "unsafe"), ("1", "JX501", "fixed"),
                                            ("1", "JX604", "not")}
    as_json = json.loads(run("--statistics", "--format", "json").output)
    assert {(r["code"], r["status"], r["count"]) for r in as_json} == {
        ("JX205", "unsafe", 1), ("JX501", "fixed", 1), ("JX604", "not fixed", 1)
    }
    assert run("--statistics", "--format", "sarif").exit_code == 2


def test_under_check_a_file_that_would_change_is_reported_by_every_ci_format(project):
    (project / "pkg" / "review.py").unlink()
    github = run("--check", "--output-format", "github")
    assert github.exit_code == 1
    assert github.output.splitlines() == [
        "::error file=pkg/legacy.py,title=jaxify::would be rewritten: run jaxify --apply, or jaxify on it to see "
        "the diff"
    ]
    assert run("--output-format", "github").output == ""  # a dry run without --check fails on nothing
    issues = json.loads(run("--check", "--output-format", "gitlab").output)
    assert [(i["check_name"], i["location"]["path"]) for i in issues] == [("jaxify-would-change", "pkg/legacy.py")]
    root = ElementTree.fromstring(run("--check", "--output-format", "junit").output)
    assert root.get("failures") == "1" and root.find("testsuite/testcase/failure").get("type") == "check"

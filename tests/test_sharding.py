"""--shard K/N: every file in exactly one shard, the same split on every machine, and merged reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jaxify.cli import main
from jaxify.merge_reports import MergeError, merge_reports
from jaxify.sharding import ShardError, parse_shard, select_shard, shard_of

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
BROKEN = "import numpy as np\nx = (\n"


def paths(count: int) -> list[Path]:
    return [Path(f"pkg_{index % 7}") / f"module_{index}.py" for index in range(count)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 16])
def test_every_file_lands_in_exactly_one_shard(tmp_path, count):
    files = paths(300)
    shards = [select_shard(files, (index, count), root=tmp_path) for index in range(1, count + 1)]
    assert sorted(path for shard in shards for path in shard) == sorted(files)
    if count > 1:
        assert sum(1 for shard in shards if shard) > 1  # the split really splits


def test_the_split_depends_on_the_path_below_the_root_only(tmp_path):
    here, there = tmp_path / "checkout-a", tmp_path / "runner-b" / "work"
    for path in paths(50):
        assert shard_of(here / path, 5, root=here) == shard_of(there / path, 5, root=there)


def test_a_file_keeps_its_shard_when_others_are_added(tmp_path):
    few, many = paths(20), paths(200)
    first = set(select_shard(few, (2, 3), root=tmp_path))
    assert first == set(select_shard(many, (2, 3), root=tmp_path)) & set(few)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "3", "1/", "-1/2"])
def test_bad_shards_are_refused(text):
    with pytest.raises(ShardError):
        parse_shard(text)


def test_parse_shard():
    assert parse_shard("2/5") == (2, 5) and parse_shard("1/1") == (1, 1)


@pytest.fixture
def project(tmp_path, monkeypatch):
    for index in range(8):
        (tmp_path / "pkg" / f"legacy_{index}.py").parent.mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"legacy_{index}.py").write_text(LEGACY)
    (tmp_path / "pkg" / "broken.py").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JAXIFY_NO_CACHE", "1")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [*args, "--jobs", "1"], catch_exceptions=False)


def test_cli_shards_cover_the_tree_and_their_merged_report_is_the_whole_report(project):
    whole = json.loads(run("pkg", "--format", "json").output)
    reports = []
    for index in (1, 2, 3):
        result = run("pkg", "--format", "json", "--shard", f"{index}/3")
        (project / f"shard{index}.json").write_text(result.output)
        reports.append(project / f"shard{index}.json")
    shard_files = [entry["path"] for report in reports for entry in json.loads(report.read_text())["files"]]
    assert sorted(shard_files) == sorted(entry["path"] for entry in whole["files"])
    merged = CliRunner().invoke(main, ["merge-reports", *map(str, reports)])
    assert merged.exit_code == 0
    document = json.loads(merged.output)
    assert document["summary"] == whole["summary"]
    assert document["files"] == sorted(whole["files"], key=lambda entry: entry["path"])
    assert sorted(map(json.dumps, document["findings"])) == sorted(map(json.dumps, whole["findings"]))


def test_cli_refuses_a_bad_shard(project):
    result = CliRunner().invoke(main, ["pkg", "--shard", "4/3"])
    assert result.exit_code == 2 and "--shard" in result.output


def sarif(rules: list[str], results: list[tuple[str, str]], version: str = "0.1.0") -> dict:
    """A SARIF log whose results point into its rule and artifact tables by index."""
    artifacts = sorted({uri for _, uri in results})
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "jaxify", "version": version, "rules": [{"id": r} for r in rules]}},
            "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
            "results": [
                {"ruleId": rule, "ruleIndex": rules.index(rule), "message": {"text": rule},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifacts.index(uri)}}}]}
                for rule, uri in results
            ],
            "invocations": [{"executionSuccessful": True}],
        }],
    }


def test_sarif_runs_merge_into_one_with_indices_renumbered(tmp_path):
    first = sarif(["JX101", "JX301"], [("JX301", "a.py"), ("JX101", "b.py")])
    second = sarif(["JX501", "JX301"], [("JX301", "c.py"), ("JX501", "a.py")])
    for name, document in (("1.sarif", first), ("2.sarif", second)):
        (tmp_path / name).write_text(json.dumps(document))
    merged = json.loads(merge_reports([tmp_path / "1.sarif", tmp_path / "2.sarif"]))
    (run,) = merged["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    uris = [artifact["location"]["uri"] for artifact in run["artifacts"]]
    assert sorted(rules) == ["JX101", "JX301", "JX501"] and sorted(uris) == ["a.py", "b.py", "c.py"]
    pointed = [
        (rules[result["ruleIndex"]], uris[result["locations"][0]["physicalLocation"]["artifactLocation"]["index"]])
        for result in run["results"]
    ]
    assert pointed == [("JX301", "a.py"), ("JX101", "b.py"), ("JX301", "c.py"), ("JX501", "a.py")]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    assert len(run["invocations"]) == 2


def test_reports_of_different_kinds_or_versions_are_not_merged(tmp_path):
    (tmp_path / "a.sarif").write_text(json.dumps(sarif(["JX101"], [("JX101", "a.py")])))
    report = {"version": "0.1.0", "files": [], "findings": [], "summary": {"files_scanned": 0}}
    (tmp_path / "a.json").write_text(json.dumps(report))
    (tmp_path / "b.json").write_text(json.dumps({**report, "version": "0.2.0"}))
    (tmp_path / "c.txt").write_text("not json")
    for pair in (("a.sarif", "a.json"), ("a.json", "b.json"), ("a.json", "c.txt")):
        with pytest.raises(MergeError):
            merge_reports([tmp_path / name for name in pair])


def test_summaries_that_disagree_on_a_flag_are_not_merged(tmp_path):
    report = {"version": "0.1.0", "files": [], "findings": [], "summary": {"applied": True, "files_scanned": 1}}
    (tmp_path / "a.json").write_text(json.dumps(report))
    (tmp_path / "b.json").write_text(json.dumps({**report, "summary": {"applied": False, "files_scanned": 1}}))
    with pytest.raises(MergeError):
        merge_reports([tmp_path / "a.json", tmp_path / "b.json"])

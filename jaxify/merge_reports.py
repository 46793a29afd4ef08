"""``jaxify merge-reports``: one report from the reports of the shards of a CI matrix.

Each job of an N-job matrix runs ``jaxify --shard K/N`` on its share of the files and keeps its
report; a last job merges them. Two kinds of report merge:

- jaxify's JSON (``--format json``): files and findings are concatenated (sorted by path and
  position, as one run prints them) and the summary is recomputed: counts add up, flags must
  agree, notes are united.
- SARIF 2.1.0: the runs of the same tool become one run; its rule and artifact tables are united
  and every result's ``ruleIndex`` and artifact ``index`` renumbered to point into them.

Reports of different kinds, or JSON reports of different jaxify versions, are not merged.
"""

from __future__ import annotations

import json
from pathlib import Path


class MergeError(ValueError):
    pass


def merge_reports(paths: list[Path]) -> str:
    """The merged report, as text, of the reports in ``paths`` (all JSON or all SARIF)."""
    documents = []
    for path in paths:
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise MergeError(f"cannot read the report {path}: {error}") from error
    kinds = {_kind(document, path) for document, path in zip(documents, paths)}
    if len(kinds) != 1:
        raise MergeError("cannot merge reports of different kinds: " + ", ".join(sorted(kinds)))
    merged = merge_sarif(documents) if kinds == {"sarif"} else merge_json(documents)
    return json.dumps(merged, indent=2)


def _kind(document, path: Path) -> str:
    if isinstance(document, dict) and isinstance(document.get("runs"), list) and "version" in document:
        return "sarif"
    if isinstance(document, dict) and {"files", "findings", "summary"} <= document.keys():
        return "json"
    raise MergeError(f"{path} is neither a jaxify JSON report nor a SARIF log")


# -- jaxify's JSON ---------------------------------------------------------------------------


def merge_json(documents: list[dict]) -> dict:
    versions = {document.get("version") for document in documents}
    if len(versions) > 1:
        raise MergeError(f"reports of different jaxify versions: {', '.join(sorted(map(str, versions)))}")
    merged = dict(documents[0])
    merged["files"] = sorted((entry for d in documents for entry in d["files"]), key=lambda entry: entry["path"])
    merged["findings"] = sorted(
        (finding for d in documents for finding in d["findings"]),
        key=lambda f: (f.get("path", ""), f.get("line", 0), f.get("col", 0), f.get("code", "")),
    )
    summary = documents[0]["summary"]
    for document in documents[1:]:
        summary = _merge_values(summary, document["summary"], "summary")
    merged["summary"] = summary
    return merged


def _merge_values(left, right, where: str):
    """Counts add up, tables merge key by key, lists unite in order, anything else must agree."""
    if isinstance(left, bool) or isinstance(right, bool):
        if left != right:
            raise MergeError(f"the reports disagree on {where}: {left} and {right}")
        return left
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left + right
    if isinstance(left, dict) and isinstance(right, dict):
        return {key: _merge_values(left[key], right[key], f"{where}.{key}") if key in left and key in right
                else left.get(key, right.get(key)) for key in [*left, *(k for k in right if k not in left)]}
    if isinstance(left, list) and isinstance(right, list):
        return left + [item for item in right if item not in left]
    if left != right:
        raise MergeError(f"the reports disagree on {where}: {left!r} and {right!r}")
    return left


# -- SARIF -----------------------------------------------------------------------------------


def merge_sarif(documents: list[dict]) -> dict:
    merged = {key: value for key, value in documents[0].items() if key != "runs"}
    runs: dict[str, dict] = {}
    for document in documents:
        for run in document["runs"]:
            driver = run.get("tool", {}).get("driver", {})
            tool = f"{driver.get('name')} {driver.get('version', '')}"
            if tool not in runs:
                runs[tool] = _empty_run(run)
            _add_run(runs[tool], run)
    merged["runs"] = list(runs.values())
    return merged


def _empty_run(run: dict) -> dict:
    empty = {key: value for key, value in run.items() if key not in ("results", "artifacts", "invocations")}
    empty["tool"] = json.loads(json.dumps(run.get("tool", {})))
    empty["tool"].setdefault("driver", {})["rules"] = []
    empty["results"] = []
    if "artifacts" in run:
        empty["artifacts"] = []
    if "invocations" in run:
        empty["invocations"] = []
    return empty


def _add_run(target: dict, run: dict) -> None:
    rules = target["tool"]["driver"]["rules"]
    rule_ids = {rule.get("id"): index for index, rule in enumerate(rules)}
    rule_map = {}
    for old, rule in enumerate(run.get("tool", {}).get("driver", {}).get("rules", [])):
        if rule.get("id") not in rule_ids:
            rule_ids[rule.get("id")] = len(rules)
            rules.append(rule)
        rule_map[old] = rule_ids[rule.get("id")]
    artifact_map = {}
    if "artifacts" in run:
        artifacts = target.setdefault("artifacts", [])
        known = {json.dumps(a.get("location"), sort_keys=True): index for index, a in enumerate(artifacts)}
        for old, artifact in enumerate(run["artifacts"]):
            location = json.dumps(artifact.get("location"), sort_keys=True)
            if location not in known:
                known[location] = len(artifacts)
                artifacts.append(artifact)
            artifact_map[old] = known[location]
    for result in run.get("results", []):
        result = json.loads(json.dumps(result))
        if "ruleIndex" in result:
            result["ruleIndex"] = rule_map[result["ruleIndex"]]
        for location in _artifact_locations(result):
            if "index" in location:
                location["index"] = artifact_map[location["index"]]
        target["results"].append(result)
    if "invocations" in run:
        target.setdefault("invocations", []).extend(run["invocations"])


def _artifact_locations(node):
    """Every ``artifactLocation`` object inside a result (locations, fixes, related locations)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "artifactLocation" and isinstance(value, dict):
                yield value
            else:
                yield from _artifact_locations(value)
    elif isinstance(node, list):
        for item in node:
            yield from _artifact_locations(item)

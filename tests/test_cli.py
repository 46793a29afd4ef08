"""The command line, through click's runner and (for --jobs) real processes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from jaxify.cli import main

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
MODERN = LEGACY.replace("jax.tree_map", "jax.tree.map")
CLEAN = "import numpy as np\n\n\ndef total(x):\n    return x.sum()\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "legacy.py").write_text(LEGACY)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    return tmp_path


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def test_dry_run_prints_diff_and_findings_and_writes_nothing(project):
    result = run(project, "--jobs", "1")
    assert result.exit_code == 0
    assert "-    return jax.tree_map(" in result.output
    assert "+    return jax.tree.map(" in result.output
    assert "[fixed]" not in result.output  # fixes are counted, not listed
    assert "2 files scanned, 1 would change, 0 failed; findings: 1 fixed (--show-fixes lists them)" in result.output
    assert (project / "pkg" / "legacy.py").read_text() == LEGACY
    shown = run(project, "--jobs", "1", "--show-fixes")
    assert "legacy.py:5:12 JX501" in shown.output and "[fixed]" in shown.output


def test_apply_writes_and_check_gates(project):
    assert run(project, "--check", "--jobs", "1").exit_code == 1
    applied = run(project, "--apply", "--jobs", "1")
    assert applied.exit_code == 0
    assert (project / "pkg" / "legacy.py").read_text() == MODERN
    assert run(project, "--check", "--jobs", "1").exit_code == 0


def test_no_diff_and_quiet(project):
    result = run(project, "--no-diff", "--show-fixes", "--jobs", "1")
    assert "@@" not in result.output and "JX5" in result.output
    quiet = run(project, "-q", "--jobs", "1")
    assert quiet.output.strip().count("\n") == 0 and "files scanned" in quiet.output


def test_a_file_that_does_not_parse_does_not_stop_the_others(project):
    (project / "pkg" / "broken.py").write_text("import numpy as np\ndef f(:\n    pass\n")
    result = run(project, "--apply", "--jobs", "1")
    assert result.exit_code == 2
    assert "broken.py:2:" in result.output and "JX002" in result.output
    assert (project / "pkg" / "legacy.py").read_text() == MODERN


def test_select_and_ignore(project):
    ignored = run(project, "--ignore", "JX5", "--check", "--jobs", "1")
    assert ignored.exit_code == 0 and "JX5" not in ignored.output
    selected = run(project, "--select", "JX3", "--check", "--jobs", "1")
    assert selected.exit_code == 0
    reselected = run(project, "--select", "JX3,JX5", "--check", "--jobs", "1")
    assert reselected.exit_code == 1


def test_json_output_is_valid_and_has_every_finding(project):
    (project / "pkg" / "broken.py").write_text("import numpy\nx = (\n")
    result = run(project, "--format", "json", "--jobs", "1")
    document = json.loads(result.output)
    codes = sorted(f["code"] for f in document["findings"])
    assert "JX002" in codes and any(code.startswith("JX5") for code in codes)
    assert document["summary"]["files_changed"] == 1
    assert document["summary"]["files_failed"] == 1
    assert any(entry["diff"] for entry in document["files"])
    assert result.exit_code == 2


def test_stdin_mode_writes_the_module_on_stdout():
    result = CliRunner().invoke(main, ["-"], input=LEGACY)
    assert result.exit_code == 0
    assert result.stdout == MODERN


def test_rules_lists_and_documents():
    listing = run("rules")
    assert listing.exit_code == 0
    codes = [line.split()[0] for line in listing.output.splitlines()]
    assert "JX001" in codes and any(code.startswith("JX5") for code in codes)
    first_jx5 = next(code for code in codes if code.startswith("JX5"))
    doc = run("rules", first_jx5)
    assert doc.exit_code == 0 and first_jx5 in doc.output and len(doc.output.splitlines()) > 5
    assert run("rules", "JX999").exit_code == 2


def test_usage_errors_exit_2(tmp_path):
    assert run(tmp_path / "missing").exit_code == 2
    assert run("--precision", "float16", tmp_path).exit_code == 2
    assert run("--check").exit_code == 2  # options but no path


def test_version_and_help():
    assert "jaxify" in run("--version").output
    help_text = run("--help").output
    assert "Exit codes" in help_text and "--check" in help_text


def test_pyproject_config_is_read(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.jaxify]\nignore = ["JX5"]\n')
    monkeypatch.chdir(project)
    assert run(".", "--check", "--jobs", "1").exit_code == 0
    (project / "pyproject.toml").write_text('[tool.jaxify]\nno-such-option = 1\n')
    assert run(".", "--jobs", "1").exit_code == 2


def test_parallel_jobs_in_real_processes(project):
    for index in range(6):
        (project / "pkg" / f"legacy_{index}.py").write_text(LEGACY)
    completed = subprocess.run(
        [sys.executable, "-m", "jaxify", str(project), "--apply", "--jobs", "2"],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert all(p.read_text() == MODERN for p in (project / "pkg").glob("legacy*.py"))


NEEDS_PERSON = "import numpy as np\n\n\ndef peaks(x):\n    return np.maximum.accumulate(x)\n"


def test_exit_codes_follow_ruff(project):
    (project / "pkg" / "review.py").write_text(NEEDS_PERSON)
    assert run(project, "--jobs", "1").exit_code == 1  # a finding needs a person, even in a dry run
    assert run(project, "--jobs", "1", "--exit-zero").exit_code == 0
    assert run(project, "--apply", "--jobs", "1").exit_code == 1  # applied, but JX604 is still there
    assert run(project, "--check", "--jobs", "1").exit_code == 1
    (project / "pkg" / "review.py").write_text(CLEAN)
    assert run(project, "--check", "--jobs", "1").exit_code == 0
    (project / "pkg" / "legacy.py").write_text(LEGACY)
    assert run(project, "--jobs", "1").exit_code == 0  # safe fixes only: nothing needs a person
    assert run(project, "--check", "--jobs", "1").exit_code == 1
    assert run(project, "--apply", "--exit-non-zero-on-fix", "--jobs", "1").exit_code == 1
    assert run(project, "--apply", "--exit-non-zero-on-fix", "--jobs", "1").exit_code == 0  # nothing left to fix
    (project / "pkg" / "broken.py").write_text("import numpy\nx = (\n")
    assert run(project, "--exit-zero", "--jobs", "1").exit_code == 2


def test_apply_with_check_is_a_usage_error(project):
    result = run(project, "--apply", "--check")
    assert result.exit_code == 2 and "--apply and --check" in result.output


def test_unknown_rule_codes_are_usage_errors(project):
    for flag in ("--select", "--ignore", "--extend-select"):
        result = run(project, flag, "JX999")
        assert result.exit_code == 2 and "JX999" in result.output
    assert run(project, "--select", "jx5,ALL", "--jobs", "1").exit_code == 0


def test_stdin_honours_check_format_diff_and_filename():
    assert CliRunner().invoke(main, ["-", "--check"], input=LEGACY).exit_code == 1
    assert CliRunner().invoke(main, ["-", "--check"], input=MODERN).exit_code == 0
    diff = CliRunner().invoke(main, ["-", "--diff", "--stdin-filename", "pkg/mod.py"], input=LEGACY)
    assert "+++ b/pkg/mod.py" in diff.stdout and "+    return jax.tree.map(" in diff.stdout
    document = json.loads(
        CliRunner().invoke(main, ["-", "--format", "json", "--stdin-filename", "pkg/mod.py"], input=LEGACY).stdout
    )
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("pkg/mod.py", "JX501")]
    needs_person = CliRunner().invoke(main, ["-", "--stdin-filename", "x.py"], input=NEEDS_PERSON)
    assert needs_person.exit_code == 1 and needs_person.stdout == NEEDS_PERSON
    assert "x.py:5:12 JX604" in needs_person.stderr


def test_stdin_filename_chooses_the_configuration(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[tool.jaxify]\nignore = ["JX501"]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["-", "--check", "--stdin-filename", "sub/m.py"], input=LEGACY)
    assert result.exit_code == 0


def test_bare_jaxify_prints_help_with_the_rewrite_options_and_subcommands():
    result = run()
    assert result.exit_code == 0
    for text in ("--apply", "--check", "--output-format", "--select", "verify", "rules", "Examples:", "Exit codes"):
        assert text in result.output
    assert result.output == run("--help").output


def test_summary_uses_singular_and_plural(tmp_path):
    (tmp_path / "one.py").write_text(LEGACY)
    assert "1 file scanned, 1 would change" in run(tmp_path / "one.py").output


def test_findings_that_need_a_person_are_sorted_by_file_and_line(project):
    (project / "pkg" / "a.py").write_text(NEEDS_PERSON + NEEDS_PERSON.replace("peaks", "peaks2").split("\n", 1)[1])
    (project / "pkg" / "z.py").write_text(NEEDS_PERSON)
    lines = [line for line in run(project, "--no-diff", "--jobs", "2").output.splitlines() if " JX604 " in line]
    where = [(line.split(":")[0].rsplit("/", 1)[1], int(line.split(":")[1])) for line in lines]
    assert where == sorted(where) and len(where) == 3


@pytest.mark.parametrize(
    ("arguments", "environment", "coloured"),
    [
        ((), {}, False),  # not a terminal
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_flag_then_no_color_and_force_color(project, monkeypatch, arguments, environment, coloured):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    output = CliRunner().invoke(main, [str(project), "--jobs", "1", *arguments]).output
    assert ("\x1b[" in output) is coloured


def test_a_reason_the_message_already_gives_is_not_repeated():
    from jaxify.findings import Finding, Status

    said = Finding("m.py", 8, 5, "JX305", "loop left alone: `k` is read after the loop (line 8)", Status.NOT_FIXED,
                   reason="`k` is read after the loop")
    assert said.format() == "m.py:8:5 JX305 loop left alone: `k` is read after the loop (line 8) [not fixed]"
    new = Finding("m.py", 1, 1, "JX604", "`np.x` stays NumPy", Status.NOT_FIXED, reason="jax.numpy has no `x`")
    assert new.format().endswith("[not fixed: jax.numpy has no `x`]")

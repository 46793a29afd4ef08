"""[tool.jaxify] per file, typed values, exclusions (patterns, .gitignore, force-exclude),
versions, unknown rule codes and --add-ignore, through click's runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from jaxify.cli import main
from jaxify.config import parse_version

LEGACY = "import jax\n\n\ndef scale(tree):\n    return jax.tree_map(lambda x: 2 * x, tree)\n"
NEEDS_PERSON = "import numpy as np\n\n\ndef peaks(x):\n    return np.maximum.accumulate(x)\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args] + ["--jobs", "1"], input=input, catch_exceptions=False)


def changed_files(result) -> set[str]:
    return {line[len("+++ b/"):].rsplit("/", 1)[-1] for line in result.output.splitlines() if line.startswith("+++ b/")}


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('unsafe = "false"', "unsafe: expected true or false, got the string 'false'"),
        ("jit = 1", "jit: expected true or false"),
        ('select = "JX5"', "select: expected a list of strings"),
        ('select = ["JX999"]', "unknown rule code JX999"),
        ('per-file-ignores = { "tests/*" = ["JX9"] }', "JX9"),
        ('precision = "float16"', "precision: expected one of keep, float32"),
        ('target-jax = "latest"', "target-jax: not a version"),
        ('key-name = "my key"', "key-name: expected a Python name"),
        ("no-such-option = 1", "unknown [tool.jaxify] key: no-such-option"),
    ],
)
def test_config_values_are_checked_with_the_flags_types(here, table, named):
    write(here / "pyproject.toml", f"[tool.jaxify]\n{table}\n")
    write(here / "m.py", LEGACY)
    result = run("m.py")
    assert result.exit_code == 2
    assert named in result.output and "pyproject.toml" in result.output


def test_a_string_false_never_turns_unsafe_fixes_on(here):
    write(here / "pyproject.toml", '[tool.jaxify]\nunsafe = "false"\n')
    source = write(here / "m.py", "import numpy as np\n\n\ndef noisy(x):\n    return x + np.random.normal(size=3)\n")
    before = source.read_text()
    assert run("m.py", "--apply").exit_code == 2
    assert source.read_text() == before


def test_each_file_gets_the_configuration_nearest_to_it(here):
    write(here / "pyproject.toml", '[tool.jaxify]\nignore = ["JX501"]\n')
    write(here / "a" / "pyproject.toml", "[tool.jaxify]\nselect = [\"JX5\"]\n")
    write(here / "b" / "pyproject.toml", "[project]\nname = 'b'\n")  # no [tool.jaxify]: passed over
    for folder in ("a", "b", "c"):
        write(here / folder / f"{folder}.py", LEGACY)
    assert changed_files(run(".")) == {"a.py"}
    assert changed_files(run(".", "--select", "JX501")) == {"a.py", "b.py", "c.py"}  # a flag wins


def test_extend_select_and_per_file_ignores(here):
    write(here / "pyproject.toml",
          '[tool.jaxify]\nignore = ["JX5"]\nextend-select = ["JX501"]\n'
          'per-file-ignores = { "tests/*" = ["JX501"], "legacy_*.py" = ["JX501"] }\n')
    write(here / "src" / "m.py", LEGACY)
    write(here / "src" / "legacy_api.py", LEGACY)
    write(here / "tests" / "t.py", LEGACY)
    assert changed_files(run(".")) == {"m.py"}


def test_exclude_is_relative_to_the_configuration_not_to_the_argument(here):
    write(here / "pyproject.toml", '[tool.jaxify]\nexclude = ["/pkg/generated.py"]\nextend-exclude = ["vendored/"]\n')
    write(here / "pkg" / "generated.py", LEGACY)
    write(here / "pkg" / "vendored" / "v.py", LEGACY)
    write(here / "pkg" / "kept.py", LEGACY)
    assert changed_files(run("pkg")) == {"kept.py"}
    assert changed_files(run("pkg", "--exclude", "kept.py")) == {"generated.py"}  # --exclude replaces exclude


def test_named_files_are_excluded_only_with_force_exclude(here):
    write(here / "pyproject.toml", '[tool.jaxify]\nexclude = ["generated.py"]\n')
    write(here / "generated.py", LEGACY)
    assert changed_files(run("generated.py")) == {"generated.py"}
    assert changed_files(run("generated.py", "--force-exclude")) == set()
    write(here / "pyproject.toml", '[tool.jaxify]\nexclude = ["generated.py"]\nforce-exclude = true\n')
    assert changed_files(run("generated.py")) == set()
    assert changed_files(run("generated.py", "--no-force-exclude")) == {"generated.py"}


def test_gitignore_is_honoured_inside_a_work_tree(here):
    (here / ".git").mkdir()
    write(here / ".gitignore", "out/\n*_gen.py\n")
    write(here / "pkg" / ".gitignore", "!keep_gen.py\n")
    write(here / "out" / "o.py", LEGACY)
    write(here / "pkg" / "x_gen.py", LEGACY)
    write(here / "pkg" / "keep_gen.py", LEGACY)
    write(here / "pkg" / "m.py", LEGACY)
    assert changed_files(run(".")) == {"keep_gen.py", "m.py"}
    assert changed_files(run(".", "--no-respect-gitignore")) == {"o.py", "x_gen.py", "keep_gen.py", "m.py"}
    assert changed_files(run("pkg/x_gen.py", "--force-exclude")) == set()


def test_gitignore_outside_a_work_tree_is_not_read(here):
    write(here / ".gitignore", "*.py\n")
    write(here / "m.py", LEGACY)
    assert changed_files(run(".")) == {"m.py"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.4.25", (0, 4, 25)), ("0.4.24rc1", (0, 4, 23)), ("0.4.25rc1", (0, 4, 24)), ("0.5.0.dev3", (0, 5, -1)),
     ("0.4.30.post1", (0, 4, 30)), ("1!2.0", (2, 0))],
)
def test_versions_are_parsed_with_packaging(text, expected):
    assert parse_version(text) == expected


def test_a_pre_release_target_does_not_get_apis_of_its_release(here):
    write(here / "m.py", LEGACY)
    assert "jax.tree.map" in run("m.py", "--target-jax", "0.4.25").output
    for target in ("0.4.24rc1", "0.4.25rc1"):
        output = run("m.py", "--target-jax", target).output
        assert "+    return jax.tree_util.tree_map(" in output and "jax.tree.map" not in output
    assert run("m.py", "--target-jax", "four").exit_code == 2


def test_unknown_codes_in_suppression_comments_are_warned_about(here):
    write(here / "m.py", LEGACY.replace("tree)\n", "tree)  # jaxify: ignore[JX999, JX501]\n"))
    result = run("m.py")
    assert "warning: m.py:5: unknown rule code JX999" in result.stderr
    assert "JX501" not in result.stderr and changed_files(result) == set()


def test_add_ignore_writes_comments_that_silence_what_remains(here):
    source = write(here / "m.py", NEEDS_PERSON.replace("accumulate(x)\n", "accumulate(x)  # keep\n") + '''

def g(x):
    s = """
np.maximum.accumulate(x)"""
    return np.maximum.accumulate(x), s
''')
    assert run("m.py").exit_code == 1
    result = run("m.py", "--add-ignore")
    assert result.exit_code == 0 and "Added 2 `# jaxify: ignore` comments to 1 file." in result.stderr
    text = source.read_text()
    assert "    return np.maximum.accumulate(x)  # keep  # jaxify: ignore[JX604]\n" in text
    assert "    return np.maximum.accumulate(x), s  # jaxify: ignore[JX604]\n" in text
    assert run("m.py").exit_code == 0
    assert run("m.py", "--add-ignore").stderr.startswith("Added 0")  # nothing left to add

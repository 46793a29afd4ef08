"""The verify report people look at: HTML with charts, markdown for PRs, and verify's run options."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from jaxify.cli import main
from jaxify.engine import FileResult
from jaxify.verify.charts import LogScale, SpeedupBar, speedup_chart
from jaxify.verify.html_report import to_html
from jaxify.verify.report import short_module_names, to_markdown, to_text
from jaxify.verify.session import ModuleReport
from jaxify.verify.sizes import crossover, grow

NOTEBOOK = Path(__file__).parent / "fixtures" / "notebooks" / "legacy.ipynb"
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "embed", "source", "track", "wbr"}


class StrictParser(HTMLParser):
    """Fails on a closing tag that does not match the open one; records text, tags and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.text, self.attributes = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> StrictParser:
    assert page.startswith("<!DOCTYPE html>")
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def result(function, line, evidence, speedup=None, **extra):
    timed = {"compile_ms": 40.0, "original_ms": 1.0, "jitted_ms": 1.0 / speedup} if speedup else {}
    return {"function": function, "line": line, "evidence": evidence, "equivalent": evidence != "failed",
            "inputs": 3, "input_source": "examples", "max_abs_err": 0.0, "max_rel_err": 0.0, "speedup": speedup,
            "findings": [], "notes": [], "counterexample": None, **timed, **extra}


@pytest.fixture
def reports():
    failure = {"line": 8, "message": "results differ: max abs err 1 at index 0", "hint": "compare x[1:] <with> x[:-1]"}
    return [
        ModuleReport("src/a/utils.py", changed=True, device="cpu: cpu", functions=[
            result("step", 3, "verified", 8.0),
            result("shift", 7, "failed", findings=[failure], counterexample="shift(np.array([0.0, 1.0]))",
                   notes=["1 input(s) skipped"]),
        ]),
        ModuleReport("src/b/utils.py", changed=True, device="cpu: cpu", functions=[
            result("step", 3, "verified", 0.16, notes=["JAX is slower than NumPy on these inputs"]),
            result("draw", 9, "unverified"),
        ]),
    ]


def test_html_is_one_well_formed_page_with_every_function_and_both_charts(reports):
    page = to_html(reports)
    parser = parse(page)
    text = " ".join(parser.text)
    assert parser.tags.count("svg") == 2
    for label in ("a/utils.py:step", "a/utils.py:shift", "b/utils.py:step", "b/utils.py:draw"):
        assert label in text  # chart labels, qualified by module
    for module, rows in (("src/a/utils.py", ("step (line 3)", "shift (line 7)")),
                         ("src/b/utils.py", ("step (line 3)", "draw (line 9)"))):
        section = text[text.index(module):]
        assert all(row in section for row in rows)  # table rows, failed and unverified included
    assert "compare x[1:] <with> x[:-1]" in text and "shift(np.array([0.0, 1.0]))" in text
    assert "<with>" not in page  # escaped, not markup
    # self-contained: nothing fetched from anywhere
    assert not [value for name, value in parser.attributes if name in ("src", "href")]
    assert "url(" not in page and "@import" not in page


def test_html_tables_list_failures_first(reports):
    text = " ".join(parse(to_html(reports)).text)
    assert text.index("shift (line 7)") < text.index("step (line 3)") < text.index("src/b/utils.py")
    assert text.index("draw (line 9)") < text.index("step (line 3)", text.index("src/b/utils.py"))


def _bars(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)]


def test_speedup_bars_start_at_one_and_slowdowns_go_left():
    svg = speedup_chart([SpeedupBar("m.py:fast", 8.0, "verified"), SpeedupBar("m.py:slow", 0.16, "verified"),
                         SpeedupBar("m.py:broken", None, "failed")])
    one = float(re.search(r'<line x1="([\d.]+)" y1="6"', svg).group(1))
    (fast_x, fast_w), (slow_x, slow_w) = _bars(svg)
    assert fast_x == pytest.approx(one) and fast_w > 0
    assert slow_x + slow_w == pytest.approx(one, abs=0.1) and slow_w > 0
    assert "failed: no timing" in svg
    ticks = re.findall(r'text-anchor="middle" fill="#424242">([\d.e+-]+)x</text>', svg)
    assert ticks == ["0.1", "1", "10"]


def test_log_axis_starts_at_one_when_nothing_is_slower():
    scale = LogScale([2.0, 30.0], 0, 100)
    assert (scale.low, scale.high) == (1.0, 100.0)
    assert scale(1.0) == 0 and scale(10.0) == pytest.approx(50)


def test_same_named_modules_keep_enough_of_their_path():
    assert short_module_names(["src/a/utils.py", "src/b/utils.py", "src/solver.py"]) == {
        "src/a/utils.py": "a/utils.py", "src/b/utils.py": "b/utils.py", "src/solver.py": "solver.py"}


def test_markdown_carries_what_the_text_report_carries(reports):
    markdown, text = to_markdown(reports), to_text(reports)
    assert "help: compare x[1:] &lt;with&gt; x[:-1]" in markdown and "help: compare x[1:] <with> x[:-1]" in text
    for note in ("1 input(s) skipped", "JAX is slower than NumPy on these inputs"):
        assert note in markdown and note in text
    block = re.search(r"<details><summary>(.*?)</summary>\n\n```python\n(.*?)\n```\n\n</details>", markdown, re.S)
    assert block and "src/a/utils.py:7 shift" in block.group(1)
    assert block.group(2) == "shift(np.array([0.0, 1.0]))"


def test_empty_run_still_makes_a_page():
    parser = parse(to_html([]))
    assert "No rewritten function to verify." in " ".join(parser.text)


# -- the command line ------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """Two modules with a planted rewrite each: one right, one wrong."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text("import numpy as np\n\ndef total(x):\n    return np.sum(x)\n")
    (tmp_path / "pkg" / "bad.py").write_text("import numpy as np\n\ndef shift(x):\n    return x[1:]\n")
    planted = {"good.py": "import jax.numpy as jnp\n\ndef total(x):\n    return jnp.sum(x)\n",
               "bad.py": "import numpy as np\n\ndef shift(x):\n    return x[:-1]\n"}

    def rewrite_text(text, path, options):
        return FileResult(path=path, original=text, rewritten=planted[Path(path).name])

    monkeypatch.setattr("jaxify.verify.session.rewrite_text", rewrite_text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_html_report_with_parallel_jobs(project):
    result = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "5", "--jobs", "2", "--html", "out.html",
                                       "--format", "json"])
    assert result.exit_code == 1, result.output
    modules = {Path(m["path"]).name: m for m in json.loads(result.output)["modules"]}
    assert modules["good.py"]["functions"][0]["evidence"] == "verified"
    assert modules["bad.py"]["functions"][0]["evidence"] == "failed"
    text = " ".join(parse((project / "out.html").read_text(encoding="utf-8")).text)
    assert "good.py:total" in text and "bad.py:shift" in text and "ready to paste" in text


def test_cli_quiet_and_exclude(project):
    quiet = CliRunner().invoke(main, ["verify", "pkg", "--hypothesis", "5", "-q", "--exclude", "good.py"])
    assert quiet.exit_code == 1
    lines = quiet.output.strip().splitlines()
    assert lines[0].startswith("pkg/bad.py:3 shift: ")
    assert lines[-1].startswith("1 functions in 1 changed modules: 0 proven, 0 verified, 0 unverified, 1 failed")
    assert "good.py" not in quiet.output and "----" not in quiet.output


def test_missing_optional_extra_fails_before_the_run(project, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))

    def never(*args, **kwargs):
        raise AssertionError("verification started although --plot cannot be honoured")

    monkeypatch.setattr("jaxify.verify.command.verify_paths", never)
    result = CliRunner().invoke(main, ["verify", "pkg", "--plot", "chart.png"])
    assert result.exit_code == 2
    assert "pip install 'jaxify-refactor[plot]'" in result.output
    assert not (project / "chart.png").exists()


def test_verify_a_notebook_names_cells(tmp_path, monkeypatch):
    shutil.copy(NOTEBOOK, tmp_path / "nb.ipynb")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify", "nb.ipynb", "--hypothesis", "5", "--format", "json"])
    (module,) = json.loads(result.output)["modules"]
    (function,) = module["functions"]
    assert (function["function"], function["cell"], function["line"]) == ("scaled", 3, 1)
    assert function["evidence"] == "verified", result.output
    assert result.exit_code == 0


def test_reference_column_only_when_a_reference_was_timed(reports):
    assert "reference ms" not in to_html(reports)
    reports[0].functions[0]["reference_ms"] = 0.05
    text = " ".join(parse(to_html(reports)).text)
    assert "reference ms" in text and "0.05" in text


def test_cli_html_report_on_corpus_programs(tmp_path):
    programs = Path(__file__).parent.parent / "corpus" / "programs"
    target = tmp_path / "corpus.html"
    result = CliRunner().invoke(main, ["verify", str(programs / "cond_clipping.py"), str(programs / "loop_kmeans.py"),
                                       "--jobs", "2", "--html", str(target), "--format", "json",
                                       "--unsafe"])  # corpus programs give no evidence of numeric inputs (JX704)
    modules = json.loads(result.output)["modules"]
    parser = parse(target.read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    assert parser.tags.count("svg") == 2
    functions = [(Path(m["path"]).name, f) for m in modules for f in m["functions"]]
    assert len(functions) >= 4  # loop_kmeans.kmeans keeps NumPy (JX807: a boolean-mask selection), so it is not verified
    for module, function in functions:
        assert f"{module}:{function['function']}" in text  # in the speedup chart
        assert f"{function['function']} (line {function['line']})" in text  # in its module's table


# -- verify --sizes ----------------------------------------------------------------------------------

def test_grow_tiles_every_axis_of_the_leading_length():
    matrix, vector, other = np.arange(9.0).reshape(3, 3), np.arange(3.0), np.arange(4.0)
    grown = grow((matrix, [vector, other], {"v": vector}, 3), 3, 7)
    assert grown[0].shape == (7, 7) and grown[0][4, 5] == matrix[1, 2]
    assert grown[1][0].tolist() == [0, 1, 2, 0, 1, 2, 0] and grown[1][1] is other
    assert grown[2]["v"].shape == (7,) and grown[3] == 3  # plain numbers are left alone


@pytest.mark.parametrize("speedups, expected", [
    ([0.2, 0.5, 2.0, 9.0], 1000), ([0.2, 1.5, 0.8, 3.0], 10000), ([0.2, 0.3, 0.5, 0.9], None),
    ([1.2, 2.0, 3.0, 4.0], 10),
])
def test_crossover_is_where_jax_stays_faster(speedups, expected):
    rows = [{"size": size, "speedup": speedup} for size, speedup in zip((10, 100, 1000, 10000), speedups)]
    assert crossover(rows) == expected


def test_sizes_appear_in_every_report(reports):
    reports[0].functions[0]["sizes"] = [{"size": 10, "original_ms": 1, "jitted_ms": 2, "speedup": 0.5},
                                        {"size": 1000, "original_ms": 8, "jitted_ms": 2, "speedup": 4.0},
                                        {"size": 100000, "error": "SizeBudgetExceeded: over the 5 s budget"}]
    line = ("speedup by input length: 10: 0.50x, 1000: 4.00x; JAX faster from length 1000; stopped at length "
            "100000: SizeBudgetExceeded: over the 5 s budget")
    assert line in to_text(reports) and line in to_markdown(reports)
    parser = parse(to_html(reports))
    assert parser.tags.count("svg") == 3
    assert "a/utils.py:step: JAX faster from length 1000" in " ".join(parser.text)


def test_cli_sizes_times_the_grown_input(project):
    result = CliRunner().invoke(main, ["verify", "pkg/good.py", "--hypothesis", "5", "--sizes", "4,40",
                                       "--format", "json"])
    (function,) = json.loads(result.output)["modules"][0]["functions"]
    assert [row["size"] for row in function["sizes"]] == [4, 40]
    assert all(row["original_ms"] > 0 and row["jitted_ms"] > 0 for row in function["sizes"])


def test_cli_sizes_must_be_lengths(project):
    result = CliRunner().invoke(main, ["verify", "pkg", "--sizes", "10,big"])
    assert result.exit_code == 2 and "--sizes" in result.output


def test_progress_bar_counts_modules(monkeypatch):
    import io

    from rich.console import Console

    from jaxify import progress as progress_module
    from jaxify.verify.command import _parallel_map

    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)

    def slow_upper(path):
        time.sleep(0.2)  # long enough for the bar to be drawn at least once
        return path.upper()

    results = _parallel_map(2, True, console)(slow_upper, ["a.py", "b.py", "c.py"])
    assert results == ["A.PY", "B.PY", "C.PY"]  # in the order of the files, whatever finished first
    assert "verify" in screen.getvalue() and "modules" in screen.getvalue()

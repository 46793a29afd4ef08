"""``jaxify verify`` cannot pass falsely, whatever the user's code does to the process running it.

Each module has three changed functions; the middle one misbehaves (exits, crashes, floods its
output, leaves a grandchild running). The middle one must fail or be reported, and the other two
must still be checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from jaxify.config import Options
from jaxify.verify.session import VerifySettings, verify_source

ORIGINAL = """import numpy as np

def first(x):
    return np.sum(x)

def middle(x):
    return np.sum(x)

def last(x):
    return np.max(x)
"""


def rewritten_with(middle_body: str) -> str:
    return (
        "import jax.numpy as jnp\n\ndef first(x):\n    return jnp.sum(x)\n\n"
        f"def middle(x):\n{middle_body}\n\n"
        "def last(x):\n    return jnp.max(x)\n"
    )


def verify(tmp_path: Path, middle_body: str, **settings) -> dict:
    path = tmp_path / "module.py"
    path.write_text(ORIGINAL)
    settings.setdefault("hypothesis", 3)
    report = verify_source(ORIGINAL, rewritten_with(middle_body), path, Options(), VerifySettings(**settings))
    results = {result["function"]: result for result in report.functions}
    assert [name for name in ("first", "middle", "last") if name in results] == ["first", "middle", "last"], report
    assert results["first"]["evidence"] == "verified", results["first"]
    assert results["last"]["evidence"] == "verified", results["last"]
    return {"report": report, **results}


def messages(result: dict) -> str:
    return " | ".join(finding["message"] for finding in result["findings"])


@pytest.mark.parametrize("exit_call", ["import sys\n    sys.exit(0)", "import os\n    os._exit(0)",
                                       "raise SystemExit(0)"])
def test_a_function_that_exits_fails_and_the_others_are_still_checked(tmp_path, exit_call):
    results = verify(tmp_path, f"    {exit_call}")
    assert results["middle"]["evidence"] == "failed"
    assert "exit" in messages(results["middle"])


def test_a_crash_in_the_middle_of_a_module_fails_one_function_only(tmp_path):
    results = verify(tmp_path, "    import ctypes\n    return ctypes.string_at(0)")
    assert results["middle"]["evidence"] == "failed"
    assert "process died" in messages(results["middle"])


def test_output_that_is_not_utf8_does_not_lose_the_report(tmp_path):
    body = "    import os\n    os.write(1, b'\\xff\\xfe\\x80')\n    os.write(2, b'\\xc3\\x28')\n    return jnp.sum(x)"
    results = verify(tmp_path, body)
    assert results["middle"]["evidence"] == "verified"


def test_huge_output_is_capped_and_the_run_completes(tmp_path):
    body = "    import os\n    for _ in range(4):\n        os.write(1, b'y' * (4 << 20))\n    return jnp.sum(x)"
    results = verify(tmp_path, body)
    assert results["middle"]["evidence"] == "verified"


def test_the_capped_stream_keeps_the_start_and_counts_the_rest():
    from jaxify.verify.isolation import CappedStream

    writer = subprocess.Popen([sys.executable, "-c", "import os\nfor _ in range(20): os.write(1, b'z' * (1 << 20))"],
                              stdout=subprocess.PIPE)
    stream = CappedStream(writer.stdout, cap=1 << 20)
    stream.start()
    writer.wait(timeout=60)
    stream.join(timeout=60)
    assert len(stream.kept) == 1 << 20
    assert stream.total == 20 << 20
    assert "19.0 MiB more" in stream.text()


def _processes_running(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_grandchild_holding_the_pipes_is_killed_and_is_no_false_timeout(tmp_path):
    seconds = f"{150 + uuid.uuid4().int % 1000 / 1000:.3f}"  # a unique command line to look for
    body = f"    import subprocess\n    subprocess.Popen(['sleep', '{seconds}'])\n    return jnp.sum(x)"
    results = verify(tmp_path, body, timeout=120)
    assert results["middle"]["evidence"] == "verified", results["middle"]
    assert not results["report"].findings, results["report"].findings
    assert _processes_running(f"sleep\0{seconds}") == []


def test_user_code_writing_to_home_writes_into_the_scratch_folder(tmp_path):
    probe = f"jaxify-probe-{uuid.uuid4().hex}"
    body = (f"    import os\n    with open(os.path.expanduser('~/{probe}'), 'w') as f:\n        f.write('x')\n"
            f"    import tempfile\n    tempfile.mkstemp(prefix='{probe}')\n    return jnp.sum(x)")
    results = verify(tmp_path, body)
    assert results["middle"]["evidence"] == "verified"
    assert not (Path.home() / probe).exists()
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{probe}*"))


@pytest.mark.parametrize("write", [
    "    with open({target!r}, 'w') as f:\n        f.write('x')",
    "    import numpy\n    numpy.save({target!r}, numpy.zeros(2))",
    "    import os\n    os.remove({existing!r})",
    "    import os\n    os.makedirs({target!r})",
])
def test_a_write_outside_the_scratch_folder_fails_that_function_and_names_the_path(tmp_path, write):
    outside = tmp_path / "user-files"
    outside.mkdir()
    existing = outside / "keep.txt"
    existing.write_text("mine")
    target = outside / "written.npy"
    body = write.format(target=str(target), existing=str(existing)) + "\n    return jnp.sum(x)"
    results = verify(tmp_path, body)
    assert results["middle"]["evidence"] == "failed", results["middle"]
    assert "outside the verification's scratch folder" in messages(results["middle"])
    assert str(outside) in messages(results["middle"])


def test_a_module_that_writes_outside_the_scratch_folder_when_imported_is_reported(tmp_path):
    target = tmp_path / "import-side-effect.txt"
    path = tmp_path / "module.py"
    original = ORIGINAL + f"\nopen({str(target)!r}, 'a').close()\n"
    rewritten = rewritten_with("    return jnp.sum(x)") + f"\nopen({str(target)!r}, 'a').close()\n"
    path.write_text(original)
    report = verify_source(original, rewritten, path, Options(), VerifySettings(hypothesis=3))
    assert any("importing the module writes outside" in finding["message"] and str(target) in finding["message"]
               for finding in report.findings), report.findings

"""The rewrite's work grows linearly with the number of functions in a module (issue 18).

No timings (machines are noisy): the test counts how often the analysis resolves a call to the
module's own functions, which grew with the square of the module's functions while each question
about a parameter's callers resolved every call in the module.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jaxify.analysis.values import ValueKinds
from jaxify.config import Options
from jaxify.engine import rewrite_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from large_file import FUNCTION  # noqa: E402  (the benchmark's generated function)


def call_resolutions(functions: int, monkeypatch) -> int:
    count = 0
    resolve = ValueKinds.local_function

    def counted(self, call):
        nonlocal count
        count += 1
        return resolve(self, call)

    monkeypatch.setattr(ValueKinds, "local_function", counted)
    text = "import numpy as np\n" + "".join(FUNCTION.format(i=i) for i in range(functions))
    assert not rewrite_text(text, "generated.py", Options()).failed
    return count


def test_resolving_local_calls_grows_linearly_with_the_module(monkeypatch):
    small, large = call_resolutions(8, monkeypatch), call_resolutions(32, monkeypatch)
    assert small > 0
    assert large <= 4 * small * 1.25, (small, large)  # four times the functions: about four times the work

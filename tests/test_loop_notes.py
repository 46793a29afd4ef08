"""The cost notes of sequential loop findings (codemods/loop_notes.py): which carried values a
finding names as a recurrence, and when it warns that a loop over whole rows can be slower."""

from __future__ import annotations

from harness import rewrite


def loop_message(source: str) -> str:
    result = rewrite(source, ["--unsafe"])
    messages = [f.message for f in result.findings if f.code in ("JX302", "JX303", "JX304")]
    assert len(messages) == 1, messages
    return messages[0]


def test_carried_value_read_by_the_next_iteration_is_named():
    message = loop_message(
        "import numpy as np\n\n"
        "def welford(x):\n"
        "    mean = 0.0\n"
        "    count = 0\n"
        "    for i in range(x.shape[0]):\n"
        "        count += 1\n"
        "        mean += (np.abs(x[i]) - mean) / count\n"
        "    return mean\n"
    )
    assert "sequential: each iteration starts from the `mean` the one before left" in message
    assert "`count`" not in message.split("sequential:")[1]  # a plain reduction is no recurrence


def test_array_only_written_element_by_element_is_not_a_recurrence():
    message = loop_message(
        "import numpy as np\n\n"
        "def orbit(x, r, n):\n"
        "    xs = np.zeros(n)\n"
        "    for i in range(n):\n"
        "        x = r * x * (1.0 - np.sqrt(x))\n"
        "        xs[i] = x\n"
        "    return xs\n"
    )
    assert "starts from the `x` the one before left" in message


def test_loop_with_only_reductions_has_no_note():
    source = (
        "import numpy as np\n\n"
        "def total(x):\n"
        "    s = 0.0\n"
        "    for i in range(x.shape[0]):\n"
        "        s += np.abs(x[i])\n"
        "    return s\n"
    )
    result = rewrite(source, ["--unsafe", "--exact-order"])
    messages = [f.message for f in result.findings if f.code.startswith("JX30")]
    assert messages and not any("sequential" in message for message in messages)


def test_rows_of_a_table_of_known_rank_warn_about_speed():
    table = (
        "import numpy as np\n\n"
        "def table(x, degree):\n"
        "    T = np.zeros((degree + 1, x.shape[0]))\n"
        "    T[0] = 1.0\n"
        "    T[1] = x\n"
        "    for k in range(2, degree + 1):\n"
        "        T[k] = 2.0 * x * T[k - 1] - T[k - 2]\n"
        "    return T\n"
    )
    assert "whole row of `T`" in loop_message(table) and "can be slower" in loop_message(table)
    vector = table.replace("np.zeros((degree + 1, x.shape[0]))", "np.zeros(degree + 1)").replace("T[1] = x", "T[1] = x[0]")
    vector = vector.replace("2.0 * x * T", "2.0 * x[0] * T")
    message = loop_message(vector)
    assert "sequential: each row is computed from the rows before it" in message and "whole row" not in message


def test_a_value_computed_from_an_array_the_iteration_writes_warns_of_a_copy_or_refuses():
    counted = (
        "import numpy as np\n\n"
        "def bubble_pass(a):\n"
        "    (n,) = a.shape\n"
        "    x = np.zeros(n)\n"
        "    x[:] = a\n"
        "    swaps = 0\n"
        "    for i in range(n - 1):\n"
        "        if x[i] > x[i + 1]:\n"
        "            tmp = x[i]\n"
        "            x[i] = x[i + 1]\n"
        "            x[i + 1] = tmp\n"
        "            swaps += 1\n"
        "    return x, swaps\n"
    )
    # constant work per iteration: copying `x` on each makes it quadratic, so the loop stays Python
    refusals = [f"{f.message} {f.reason}" for f in rewrite(counted, ["--unsafe"]).findings if f.code in ("JX305", "JX807")]
    assert any("`swaps` is computed from elements of `x`" in message for message in refusals), refusals
    uncounted = counted.replace("            swaps += 1\n", "").replace("return x, swaps", "return x")
    assert "may copy" not in loop_message(uncounted)

    sweep = (
        "import numpy as np\n\n"
        "def sweep(A, b, x0):\n"
        "    (n,) = b.shape\n"
        "    x = np.zeros(n)\n"
        "    x[:] = x0\n"
        "    largest = 0.0\n"
        "    for i in range(n):\n"
        "        s = b[i]\n"
        "        for j in range(n):\n"
        "            s = s - A[i, j] * x[j]\n"
        "        change = np.abs(s - x[i])\n"
        "        largest = np.maximum(largest, change)\n"
        "        x[i] = s\n"
        "    return x, largest\n"
    )
    # a loop inside: an iteration already costs as much as a copy, so the loop converts and warns
    messages = [f.message for f in rewrite(sweep, ["--unsafe"]).findings if f.code in ("JX303", "JX304")]
    assert any("`largest` is computed from `x` in the iteration that writes `x`" in m for m in messages), messages

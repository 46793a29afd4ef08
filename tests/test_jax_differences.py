"""Behaviours that differ in JAX although the numbers agree (jaxify/analysis/jax_differences.py):
the rewrite leaves such code on NumPy, with a finding that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import rewrite

FLAGS = ["--assume-numeric-inputs", "--partial"]  # behaviour, not input types; statement forms (no gate)


def _findings(result, code):
    return [f for f in result.findings if f.code == code]


def test_call_under_a_linalg_handler_stays_numpy():
    source = """import numpy as np

def solve(a, b):
    try:
        inv = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(a)
    return inv @ b
"""
    result = rewrite(source, FLAGS)
    assert "np.linalg.inv(a)" in result.rewritten
    assert any("LinAlgError" in f.reason for f in _findings(result, "JX604"))


def test_call_under_errstate_raise_stays_numpy():
    source = """import numpy as np

def ratio(a, b):
    with np.errstate(divide="raise"):
        return np.divide(a, b)
"""
    result = rewrite(source, FLAGS)
    assert result.rewritten is None
    assert any("errstate" in f.reason for f in _findings(result, "JX604"))


@pytest.mark.parametrize("use", [
    "isinstance(m, float)", "'%r' % m", "str(m)", "{m: 1}", "math.exp(m)", "sorted(m)", "np.isscalar(m)",
])
def test_results_whose_python_type_matters_stay_numpy(use):
    source = f"""import math
import numpy as np

def f(x):
    m = np.mean(x)
    return {use}
"""
    result = rewrite(source, FLAGS)
    assert result.rewritten is None or "jnp.mean" not in result.rewritten


def test_type_check_in_a_helper_reaches_back_to_the_call():
    source = """import numpy as np

def _as_list(value):
    if isinstance(value, float):
        return [value]
    return list(value)

def totals(x):
    return _as_list(np.sum(x)), np.sum(x * 2)
"""
    result = rewrite(source, FLAGS)
    assert "_as_list(np.sum(x))" in result.rewritten and "jnp.sum(x * 2)" in result.rewritten


def test_float_written_into_an_integer_array_stays_numpy():
    source = """import numpy as np

def counts(values):
    values = np.asarray(values, dtype=float)
    out = np.zeros(values.shape[0], dtype=np.int32)
    for i in range(values.shape[0]):
        out[i] = values[i]
    return out
"""
    result = rewrite(source, FLAGS)
    assert "out[i] = values[i]" in result.rewritten
    assert _findings(result, "JX115")


def test_row_with_a_leading_unit_axis_stays_numpy():
    source = """import numpy as np

def rows(n, m):
    out = np.zeros((n, m))
    for i in range(n):
        out[i] = np.arange(float(m)).reshape(1, m)
    return out
"""
    result = rewrite(source, FLAGS)
    assert result.rewritten is None
    assert _findings(result, "JX115")


@pytest.mark.parametrize("body, reason", [
    ("    i = 0\n    while x[i] <= t:\n        i += 1\n    return i", ""),
    ("    out = np.zeros(x.shape[0])\n    for i in range(x.shape[0]):\n        out[i] = math.log(x[i])\n    return out",
     "math.log"),
])
def test_loops_that_need_python_stay_python(body, reason):
    source = f"import math\nimport numpy as np\n\ndef f(x: np.ndarray, t: float):\n{body}\n"
    result = rewrite(source, FLAGS)
    assert "lax." not in (result.rewritten or "") and "vmap" not in (result.rewritten or "")
    assert not reason or any(reason in f.reason for f in result.findings if f.code.startswith("JX3"))


def test_if_on_a_value_numpy_computes_stays_a_python_if():
    source = """import math
import numpy as np

def direction(v):
    norm = np.linalg.norm(v)
    if norm < 1e-12:
        return None
    return math.atan2(v[1] / norm, v[0] / norm)
"""
    result = rewrite(source, FLAGS)
    assert result.rewritten is None or "lax.cond" not in result.rewritten
    assert not [f for f in result.findings if f.code.startswith("JX4") and f.status.value == "fixed"]


# -- integers at the edges, callables in attributes, methods no array has ------------------------

GATED = ["--assume-numeric-inputs"]  # the whole-function gate, numeric inputs declared


@pytest.mark.parametrize("expression", ["totals // counts", "np.floor_divide(totals, counts)",
                                        "np.divmod(totals, counts)[0]"])
def test_integer_division_by_a_divisor_that_may_be_zero_keeps_numpy(expression):
    source = f"""import numpy as np

def per_item(totals, counts):
    totals = np.asarray(totals, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    return {expression}
"""
    for flags in (GATED, [*GATED, "--unsafe"], FLAGS):
        result = rewrite(source, flags)
        assert result.rewritten is None, (flags, result.rewritten)
        assert any("division by zero" in f.reason for f in _findings(result, "JX604")), flags


def test_integer_conversion_of_a_parameter_keeps_numpy():
    """Callers may pass floats: NaN, negative values and values out of range convert differently."""
    source = """import numpy as np

def brighten(img, amount):
    img = np.asarray(img, dtype=np.uint8)
    return img + np.uint8(amount)
"""
    result = rewrite(source, [*GATED, "--unsafe"])
    assert result.rewritten is None, result.rewritten
    assert any("cast to uint8" in f.reason for f in result.findings)


@pytest.mark.parametrize("expression", ["totals // 4", "totals // -2", "np.asarray(totals, dtype=float) // counts"])
def test_division_by_a_nonzero_constant_or_of_floats_still_moves(expression):
    source = f"""import numpy as np

def per_item(totals, counts):
    totals = np.asarray(totals)
    return np.abs({expression})
"""
    result = rewrite(source, GATED)
    assert result.rewritten is not None and "jnp.abs" in result.rewritten
    assert not any("division by zero" in f.reason for f in result.findings)


@pytest.mark.parametrize("cast", ["(values / width).astype(np.int64)", "np.floor(values).astype(int)",
                                  "values.astype(np.uint8)", "np.asarray(values * 2.0, dtype=np.int32)"])
def test_float_to_integer_casts_keep_numpy(cast):
    source = f"""import numpy as np

def bins(values, width):
    values = np.asarray(values, dtype=float)
    return {cast}
"""
    for flags in (GATED, [*GATED, "--unsafe"]):
        result = rewrite(source, flags)
        assert result.rewritten is None, (flags, result.rewritten)
        assert any("INT_MIN for NaN" in f.reason for f in result.findings), flags


def test_integer_to_integer_casts_still_move():
    source = """import numpy as np

def positives(x):
    x = np.asarray(x, dtype=float)
    return np.abs(np.sum(x > 0, axis=0)).astype(np.int32) + np.sum(x)
"""
    result = rewrite(source, GATED)
    assert result.rewritten is not None and "jnp.abs(jnp.sum(x > 0" in result.rewritten


def test_top_level_function_with_a_parameter_division_is_not_jitted():
    """No NumPy call feeds ``a // b``: under jax.jit the parameters themselves would be traced."""
    source = """import numpy as np

def f(a, b):
    c = np.abs(a)
    return c + a // b
"""
    result = rewrite(source, [*GATED, "--unsafe"])
    assert result.rewritten is None or "jax.jit" not in result.rewritten
    assert any("division by zero" in f.reason for f in result.findings)


def test_callable_held_in_an_attribute_keeps_its_arguments_on_numpy():
    source = """import numpy as np

class Combiner:
    def __init__(self, mode):
        self.op = np.subtract if mode == "diff" else np.add

    def apply(self, a, b):
        a = np.asarray(a, dtype=float)
        return self.op(np.abs(a), b)
"""
    result = rewrite(source, [*GATED, "--unsafe"])
    assert result.rewritten is None, result.rewritten
    assert any("held in an attribute" in f.reason for f in result.findings)


def test_a_method_no_array_has_blocks_the_conversion_even_with_numeric_inputs_declared():
    source = """import numpy as np

def matrices_equal(M1, M2):
    d = M1 - M2
    d.simplify()
    return np.all(np.array(d) == 0)
"""
    result = rewrite(source, [*GATED, "--unsafe"])
    assert result.rewritten is None, result.rewritten
    assert any("simplify" in f.reason or "Python objects" in f.reason for f in result.findings)


def test_edge_operations_are_only_of_the_node_classes_callers_ask():
    # the walks ask edge_operation only of EDGE_NODES: any other node must have no answer
    import libcst as cst

    from jaxify.analysis import analyze
    from jaxify.analysis.jax_differences import EDGE_NODES, edge_operation
    from jaxify.analysis.providers import Wrapper
    from jaxify.analysis.tree import walk
    from jaxify.config import Options

    root = Path(__file__).resolve().parent.parent
    asked = answered = 0
    for path in sorted(root.glob("corpus/**/*.py"))[::2]:
        try:
            wrapper = Wrapper(cst.parse_module(path.read_text(encoding="utf-8")), unsafe_skip_copy=True)
        except cst.ParserSyntaxError:
            continue
        analysis = analyze(wrapper, Options())
        for node in walk(wrapper.module):
            edge = edge_operation(analysis, node)
            asked += 1
            if edge is not None:
                answered += 1
                assert type(node) in EDGE_NODES, (path, type(node).__name__)
    assert asked > 10_000 and answered > 0

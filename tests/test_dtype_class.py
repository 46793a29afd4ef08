"""The dtype class of values (jaxify/analysis/dtype_class.py) and the input contract of
parameters (jaxify/analysis/input_contract.py), and what the rewrite does with them."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from harness import load_module, rewrite
from jaxify.analysis import analyze
from jaxify.analysis.dtype_class import value_classes
from jaxify.config import Options


def _class_of_return(source: str, options: Options = Options()) -> str:
    """The class of what the last function of ``source`` returns."""
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    analysis = analyze(wrapper, options)
    returns = [node for node in _walk(wrapper.module) if isinstance(node, cst.Return)]
    return value_classes(analysis).of(returns[-1].value).cls


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


CLASSES = [
    ("def f(n):\n    return np.zeros(n)", "numeric"),
    ("def f(n):\n    return np.empty(n, dtype=object)", "object"),
    ("def f(words):\n    a = np.array(['x', 'y'])\n    return a", "string"),
    ("def f(x):\n    return np.ma.masked_invalid(x)", "masked"),
    ("def f(x):\n    return np.char.upper(x)", "string"),
    ("def f(s):\n    return np.array(s, dtype='datetime64[s]')", "datetime"),
    ("def f(rows):\n    return np.array(rows, dtype=[('a', 'f8')])", "record"),
    ("def f(raw):\n    return np.frombuffer(raw, dtype='>f8')", "byte-order"),
    ("def f(x):\n    return np.asarray(x, dtype=np.longdouble)", "extended"),
    ("def f(x):\n    return x.shape", "sequence"),
    ("def f(x):\n    return x.shape[0] * 2", "numeric"),
    ("def f(x):\n    s = [float(v) for v in x]\n    return s", "sequence"),
    ("def f(x):\n    return x", "input"),
    ("def f(x):\n    x = np.asarray(x, dtype=float)\n    return x * 2", "numeric"),
    ("def f(x):\n    x = np.asarray(x)\n    return x * 2", "input"),
    ("def f(x: np.ndarray):\n    return x", "numeric"),
    ("def f(x: ArrayLike):\n    return x", "input"),
    ("def f(x):\n    '''Sum.\n\n    Parameters\n    ----------\n    x : ndarray\n        Values.\n    '''\n    return x",
     "numeric"),
    ("def _g(v):\n    return v\ndef f(n):\n    return _g(np.ones(n))", "numeric"),
    ("def f(tokens):\n    out = np.array([t.upper() for t in tokens])\n    return out", "string"),
    ("def f(items):\n    out = np.array([lookup(t) for t in items])\n    return out", "unproven"),
    ("def f(n):\n    out = np.zeros(n)\n    out = out.astype(str)\n    return out", "string"),
]


@pytest.mark.parametrize("source, expected", CLASSES)
def test_value_class(source, expected):
    assert _class_of_return("import numpy as np\n" + source) == expected


def test_assumed_numeric_inputs_make_parameters_numeric():
    source = "import numpy as np\ndef f(x):\n    return x"
    assert _class_of_return(source, Options(assume_numeric_inputs=True)) == "numeric"
    # a local call that passes strings still wins over the declaration
    local = source + "\ndef g():\n    return f('abc')"
    wrapper = MetadataWrapper(cst.parse_module(local))
    analysis = analyze(wrapper, Options(assume_numeric_inputs=True))
    first_return = next(n for n in _walk(wrapper.module) if isinstance(n, cst.Return))
    assert value_classes(analysis).of(first_return.value).cls == "string"


PUBLIC = """
import numpy as np

def total(values):
    return np.sum(values) * 2.0
"""


def _codes(result, status=None):
    return {(f.code, f.status.value) for f in result.findings if status is None or f.status.value == status}


def test_public_parameter_move_is_unsafe_and_states_the_assumption():
    result = rewrite(PUBLIC)
    assert result.rewritten is None
    finding = next(f for f in result.findings if f.code == "JX704")
    assert finding.status.value == "unsafe"
    assert "callers pass numeric arrays" in finding.reason and "--assume-numeric-inputs" in finding.reason
    module = load_module(rewrite(PUBLIC, ["--unsafe"]).rewritten)
    assert float(module.total(__import__("numpy").array([1.0, 2.0]))) == 6.0


def test_assume_numeric_inputs_flag_makes_the_move_safe():
    result = rewrite(PUBLIC, ["--assume-numeric-inputs"])
    assert "jnp.sum(values)" in result.rewritten
    assert ("JX601", "fixed") in _codes(result)


@pytest.mark.parametrize("header", ["def total(values: np.ndarray):", "def total(values: 'NDArray[np.float64]'):"])
def test_annotation_is_evidence(header):
    result = rewrite(PUBLIC.replace("def total(values):", header))
    assert "jnp.sum(values)" in result.rewritten


def test_conversion_is_evidence_and_stays_the_boundary():
    source = PUBLIC.replace("    return", "    values = np.asarray(values, dtype=float)\n    return")
    result = rewrite(source, ["--partial"])  # the boundary stays NumPy, so the gate would keep the whole function
    assert "jnp.sum(values)" in result.rewritten
    assert "np.asarray(values, dtype=float)" in result.rewritten  # judged on the raw parameter: unsafe
    module = load_module(result.rewritten)
    from decimal import Decimal

    assert float(module.total([Decimal("1.5"), Decimal("2")])) == 7.0


def test_private_function_is_judged_by_its_call_sites():
    source = """
import numpy as np

def _scale(v):
    return np.exp(v)

def run(n):
    return _scale(np.linspace(0.0, 1.0, n))
"""
    assert "jnp.exp(v)" in rewrite(source).rewritten
    listed = source.replace("np.linspace(0.0, 1.0, n)", "[0.0, 1.0]")
    result = rewrite(listed)
    assert result.rewritten is None or "jnp.exp" not in result.rewritten


@pytest.mark.parametrize("body, code", [
    ("    out = np.empty(n, dtype=object)\n    for i in range(n):\n        out[i] = 'x%d' % i\n    return out", "JX114"),
    ("    m = np.ma.masked_array(np.zeros(n))\n    m[0] = np.ma.masked\n    return m", "JX114"),
    ("    a = np.array(['a', 'b'] * n)\n    a[0] = 'z'\n    return a", "JX114"),
])
def test_non_numeric_writes_stay_numpy(body, code):
    source = f"import numpy as np\n\ndef f(n):\n{body}\n"
    result = rewrite(source, ["--unsafe"])
    assert result.rewritten is None, result.rewritten
    assert (code, "not fixed") in _codes(result)


@pytest.mark.parametrize("call", ["np.prod(x.shape)", "np.add(x.shape, 1)", "np.cumsum(list(x.shape))"])
def test_shape_tuples_stay_host_values(call):
    source = f"import numpy as np\n\ndef f(x: np.ndarray):\n    y = x * 2.0\n    return {call}, np.sum(y)\n"
    result = rewrite(source)
    assert "jnp.sum(y)" in result.rewritten
    assert call in result.rewritten

"""The shared value-kind analysis on small functions: each case lists the kinds it must find."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from jaxify.analysis import Kind, analyze
from jaxify.config import Options

A, S, U = Kind.ARRAY, Kind.STATIC, Kind.UNKNOWN


def analysis_of(source: str):
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    return wrapper, analyze(wrapper, Options())


def function(analysis, name):
    return next(f for f in analysis.functions if f.name == name)


def names_in(wrapper, identifier):
    found = []

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node):
            if node.value == identifier:
                found.append(node)

    wrapper.module.visit(Finder())
    return found


KIND_CASES = [
    (
        "range bound and shape argument are static, indexed parameter is an array",
        """
        import numpy as np
        def f(x, n):
            out = np.zeros(n)
            for i in range(n):
                out = out + x[i]
            return out
        """,
        "f",
        {"x": A, "n": S, "out": A, "i": S},
        ("n",),
    ),
    (
        "shape attributes and len() are static; tuple unpacking keeps per-element kinds",
        """
        import numpy as np
        def f(x):
            rows, cols = x.shape
            k = len(x)
            m = x.ndim - 1
            mean = x.mean(axis=0)
            return mean * rows
        """,
        "f",
        {"x": A, "rows": S, "cols": S, "k": S, "m": S, "mean": A},
        (),
    ),
    (
        "annotations decide kinds; a string default and an `if` flag are static",
        """
        import numpy as np
        def f(x: np.ndarray, steps: int, mode="fast", verbose=False):
            if verbose:
                print(mode)
            return x * steps
        """,
        "f",
        {"x": A, "steps": S, "mode": S, "verbose": S},
        ("steps", "mode", "verbose"),
    ),
    (
        "slice bounds are static; scale meets an array in arithmetic",
        """
        def f(x, start, stop, scale):
            return x[start:stop] * scale
        """,
        "f",
        {"x": A, "start": S, "stop": S, "scale": A},
        ("start", "stop"),
    ),
    (
        "a local helper's returns flow to callers, element by element",
        """
        import numpy as np
        def helper(a):
            return np.sum(a), a.shape[0]
        def f(x):
            total, n = helper(x)
            return total / n
        """,
        "f",
        {"x": A, "total": A, "n": S},
        (),
    ),
    (
        "a parameter passed on to a helper takes the kind the helper needs",
        """
        import numpy as np
        def helper(values, count):
            return np.sum(values) * np.ones(count)
        def f(data, size):
            return helper(data, size)
        """,
        "f",
        {"data": A, "size": S},
        ("size",),
    ),
    (
        "a loop-carried accumulator that starts as a Python float becomes an array",
        """
        import numpy as np
        def f(x: np.ndarray):
            acc = 0.0
            for row in x:
                acc += row
            return acc
        """,
        "f",
        {"acc": A, "row": A, "x": A},
        (),
    ),
    (
        "enumerate and zip give each loop target its own kind",
        """
        import numpy as np
        def f(xs, n):
            w = np.ones(n)
            for i, (a, b) in enumerate(zip(w, range(n))):
                pass
            return i, a, b
        """,
        "f",
        {"i": S, "a": A, "b": S, "w": A},
        ("n",),
    ),
    (
        "self attributes are unknown; `is None` tests do not make a parameter static",
        """
        class Model:
            def predict(self, x, weights=None):
                if weights is None:
                    weights = self.weights
                return x @ weights
        """,
        "predict",
        {"weights": U},
        (),
    ),
    (
        "comprehensions and conditional expressions join their parts; a string comparison is static",
        """
        import numpy as np
        def f(xs, mode, k):
            squares = [np.square(x) for x in xs]
            sizes = [len(x) for x in xs]
            pick = squares[0] if mode == "first" else squares[-1]
            return np.stack(squares), sizes, pick, np.roll(pick, k)
        """,
        "f",
        {"squares": A, "sizes": S, "pick": A, "mode": S, "k": A},
        ("mode",),
    ),
    (
        "a while loop's carried value joins every assignment; a plain value tested by `while` is static",
        """
        import numpy as np
        def f(x, tol):
            err = 1.0
            steps = 0
            while err > tol:
                new = np.cos(x)
                err = np.max(np.abs(new - x))
                x = new
                steps += 1
            return x, steps
        """,
        "f",
        {"err": A, "steps": S, "new": A, "x": A, "tol": S},
        ("tol",),
    ),
    (
        "a local np that shadows numpy is not numpy",
        """
        def f(np, n):
            return np.zeros(n)
        """,
        "f",
        {"n": U},
        (),
    ),
    (
        "callers' arguments decide a parameter with no evidence of its own",
        """
        import numpy as np
        def scale(v, factor):
            return v * factor
        def f(x):
            return scale(np.asarray(x), 2.0)
        """,
        "scale",
        {"v": A, "factor": S},
        (),  # static by kind, yet jit may trace it: it only feeds array arithmetic
    ),
    (
        "a parameter static only by its callers stays a static argument where a Python value is computed from it",
        """
        import numpy as np
        def scale(v, factor):
            k = factor * 2
            return v * k
        def f(x):
            return scale(np.asarray(x), 2.0)
        """,
        "scale",
        {"v": A, "factor": S, "k": S},
        ("factor",),
    ),
    (
        "a parameter copied into a name used as an array is an array; a copy used as a list is not",
        """
        def f(a, b):
            x = a.copy()
            n = x.shape[0]
            y = b.copy()
            y.append(n)
            return x, y
        """,
        "f",
        {"a": A, "x": A, "b": U, "y": U},
        (),
    ),
    (
        "what a lax primitive returns is traced, whatever the names held before",
        """
        from jax import lax
        def f(x):
            count = 0
            count = lax.fori_loop(0, x.shape[0], lambda i, c: c + 1, count)
            return count
        """,
        "f",
        {"count": A},
        (),
    ),
]


@pytest.mark.parametrize("title, source, func, expected, static", KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_kinds(title, source, func, expected, static):
    _, analysis = analysis_of(source)
    info = function(analysis, func)
    assert {name: info.kinds[name] for name in expected} == expected
    assert info.static_argnames == static


def test_why_names_the_line_and_the_use():
    wrapper, analysis = analysis_of(
        """
        def f(x, n):
            total = 0.0
            for i in range(n):
                total = total + x[i]
            return total
        """
    )
    n = names_in(wrapper, "n")[-1]
    assert analysis.why(n) == "`n` is static: parameter used as a bound of range() at line 4"
    total = names_in(wrapper, "total")[-1]
    assert analysis.kind_of(total) is A
    assert "line 5" in analysis.why(total)


DTYPE_CASES = [
    ("np.zeros(n)", "float64"),
    ("np.zeros(n, dtype=int)", "int64"),
    ("np.zeros(n, dtype=np.float32)", "float32"),
    ("np.arange(n)", "int64"),
    ("np.arange(0.0, 1.0, 0.1)", "float64"),
    ("1.5", "float64"),
    ("3", "int64"),
    ("np.arange(n) * 1.5", "float64"),
    ("np.zeros(3, dtype='float32') * 2.0", "float32"),
    ("np.sin(np.arange(n))", "float64"),
    ("np.arange(n) > 2", "bool"),
    ("np.ones(n).astype(np.int32)", "int32"),
    ("np.ones(n, dtype=bool).sum()", "int64"),
    ("np.arange(n).mean()", "float64"),
    ("np.random.rand(n)", "float64"),
    ("np.array([1, 2, 3.0])", "float64"),
    ("np.array([1, 2, 3])", "int64"),
    ("x", None),
]


@pytest.mark.parametrize("expression, dtype", DTYPE_CASES)
def test_dtype_of(expression, dtype):
    wrapper, analysis = analysis_of(f"import numpy as np\ndef f(x, n):\n    result = {expression}\n")
    value = wrapper.module.body[1].body.body[0].body[0].value
    assert analysis.dtype_of(value) == dtype


@pytest.mark.parametrize(
    "source, dotted, expected",
    [
        ("import numpy as np\nnp.random.normal", "np.random.normal", "numpy.random.normal"),
        ("import numpy\nnumpy.zeros", "numpy.zeros", "numpy.zeros"),
        ("from numpy import zeros\nzeros", "zeros", "numpy.zeros"),
        ("import jax.numpy as jnp\njnp.sum", "jnp.sum", "jax.numpy.sum"),
        ("import jax as j\nj.tree_map", "j.tree_map", "jax.tree_map"),
        ("import numpy as np\ndef f(np):\n    np.zeros", "np.zeros", None),
    ],
)
def test_qualified_name(source, dotted, expected):
    wrapper, analysis = analysis_of(source)
    found = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node):
            if isinstance(node, (cst.Name, cst.Attribute)) and wrapper.module.code_for_node(node) == dotted:
                found.append(node)
            return True

    wrapper.module.visit(Finder())
    assert analysis.qualified_name(found[-1]) == expected


def test_host_calls_and_function_of():
    wrapper, analysis = analysis_of(
        """
        import numpy as np
        import matplotlib.pyplot as plt
        def run(path):
            data = np.loadtxt(path)
            plt.plot(data)
            print(data.sum())
            return data
        """
    )
    info = function(analysis, "run")
    assert [(name, reason) for _, name, reason in info.host_calls] == [
        ("numpy.loadtxt", "file I/O"),
        ("matplotlib.pyplot.plot", "plotting"),
        ("builtins.print", "prints to stdout"),
    ]
    data = names_in(wrapper, "data")[-1]
    assert analysis.function_of(data) is info
    assert analysis.function_of(wrapper.module.body[0]) is None


def test_function_of_is_the_innermost_function():
    wrapper, analysis = analysis_of(
        """
        def outer(x):
            def inner(y):
                return y + 1
            return inner(x)
        """
    )
    y = names_in(wrapper, "y")[-1]
    x = names_in(wrapper, "x")[-1]
    assert analysis.function_of(y).name == "inner"
    assert analysis.function_of(x).name == "outer"


def test_dtype_of_a_name_with_consistent_bindings():
    wrapper, analysis = analysis_of(
        """
        import numpy as np
        def f(n, flag):
            if flag:
                grid = np.linspace(0.0, 1.0, n)
            else:
                grid = np.zeros(n)
            counts = np.zeros(n, dtype=np.int32)
            return grid, counts
        """
    )
    assert analysis.dtype_of(names_in(wrapper, "grid")[-1]) == "float64"
    assert analysis.dtype_of(names_in(wrapper, "counts")[-1]) == "int32"


def test_analysis_is_computed_once_per_wrapper():
    wrapper, analysis = analysis_of("x = 1\n")
    assert analyze(wrapper, Options()) is analysis

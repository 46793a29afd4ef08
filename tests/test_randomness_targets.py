"""Every expression the NumPy -> jax.random table can produce runs in the installed JAX and gives
NumPy's shape and kind of dtype (like tf_upgrade_v2's test over all its mappings).

Each table entry has example arguments below; an entry added without examples fails the test.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import libcst as cst
import numpy as np
import pytest

from jaxify.codemods.random_calls import GENERATOR, LEGACY, SHUFFLES, jax_expression, sampler_for, source

MEAN, COV = "np.zeros(2)", "np.array([[2.0, 0.5], [0.5, 1.0]])"
LOC, SCALE = "np.zeros(3)", "np.ones((2, 1))"  # broadcast to (2, 3) when size is None

# Argument lists per NumPy name, with SIZE replaced by None, an int and a tuple.
EXAMPLES: dict[str, list[str]] = {
    "uniform": ["(-1.0, 2.0, size=SIZE)", f"({LOC}, {SCALE} + 1.0)"],
    "normal": ["(1.0, 2.0, SIZE)", f"({LOC}, {SCALE})", "(size=SIZE)"],
    "binomial": ["(10, 0.3, SIZE)", "(np.array([5, 10]), 0.5)"],
    "poisson": ["(2.5, SIZE)", "(size=SIZE)"],
    "exponential": ["(2.0, SIZE)", "(np.array([1.0, 2.0]))"],
    "gamma": ["(2.0, 3.0, SIZE)"],
    "beta": ["(2.0, 5.0, SIZE)"],
    "dirichlet": ["(np.array([1.0, 2.0, 3.0]), SIZE)"],
    "multinomial": ["(10, [0.2, 0.3, 0.5], SIZE)"],
    "laplace": ["(1.0, 2.0, SIZE)"],
    "logistic": ["(1.0, 2.0, SIZE)"],
    "gumbel": ["(1.0, 2.0, SIZE)"],
    "lognormal": ["(0.5, 0.25, SIZE)", f"({LOC}, {SCALE})"],
    "chisquare": ["(3.0, SIZE)"],
    "standard_t": ["(5.0, SIZE)"],
    "f": ["(3.0, 4.0, SIZE)"],
    "standard_cauchy": ["(SIZE)"],
    "pareto": ["(3.0, SIZE)"],
    "weibull": ["(1.5, SIZE)"],
    "wald": ["(1.0, 2.0, SIZE)"],
    "rayleigh": ["(2.0, SIZE)"],
    "triangular": ["(0.0, 1.0, 3.0, SIZE)"],
    "geometric": ["(0.4, SIZE)"],
    "power": ["(2.0, SIZE)"],
    "negative_binomial": ["(5, 0.4, SIZE)"],
    "rand": ["()", "(3)", "(2, 3)"],
    "randn": ["()", "(3)", "(2, 3)"],
    "random": ["(SIZE)"],
    "random_sample": ["(SIZE)"],
    "ranf": ["(SIZE)"],
    "sample": ["(SIZE)"],
    "standard_normal": ["(SIZE)"],
    "standard_exponential": ["(SIZE)"],
    "standard_gamma": ["(2.0, SIZE)"],
    "randint": ["(6, size=SIZE)", "(1, 7, SIZE)"],
    "random_integers": ["(6, size=SIZE)", "(1, 6, SIZE)"],
    "integers": ["(6, size=SIZE)", "(1, 6, SIZE, endpoint=True)", "(6, size=SIZE, endpoint=True)"],
    "choice": ["(5, SIZE)", "(np.arange(4.0), SIZE, replace=False)", "([1, 2, 3], SIZE, p=[0.2, 0.3, 0.5])"],
    "permutation": ["(5)", "(np.arange(6.0).reshape(3, 2))"],
    "multivariate_normal": [f"({MEAN}, {COV}, SIZE)"],
}
GENERATOR_ONLY = {
    "choice": ["(np.arange(6.0).reshape(3, 2), 2, axis=1)"],
    "permutation": ["(np.ones((2, 3)), axis=1)"],
    "permuted": ["(np.arange(6.0).reshape(2, 3))", "(np.arange(6.0).reshape(2, 3), axis=1)"],
}
SIZES = ("None", "3", "(2, 3)")


def cases():
    for api, table in (("legacy", LEGACY), ("generator", GENERATOR)):
        for name in sorted(table):
            examples = EXAMPLES.get(name, [])
            if api == "generator":
                examples = examples + GENERATOR_ONLY.get(name, [])
            if not examples:
                yield pytest.param(api, name, "", id=f"{api}-{name}-missing")
            for example in examples:
                sizes = SIZES if "SIZE" in example else ("",)
                for size in sizes:
                    if name == "choice" and "replace=False" in example and size == "(2, 3)":
                        continue  # 6 draws from 4 without replacement: NumPy and JAX both refuse
                    args = example.replace("SIZE", size)
                    yield pytest.param(api, name, args, id=f"{api}-{name}{args}")


def numpy_generator(api: str):
    """The legacy table is checked against the module functions (``ranf`` and ``sample`` exist
    only there); RandomState methods have the same signatures."""
    if api == "legacy":
        np.random.seed(0)
        return np.random
    return np.random.default_rng(0)


@pytest.mark.parametrize("api,name,args", list(cases()))
def test_every_mapping_runs_in_installed_jax(api, name, args):
    assert args, f"add example arguments for `{name}` to EXAMPLES"
    namespace = {"np": np, "jnp": jnp, "jax": jax, "rng": numpy_generator(api)}
    expected = np.asarray(eval(f"rng.{name}{args}", namespace))

    call = cst.parse_expression(f"rng.{name}{args}")
    sampler = sampler_for(api, name)
    keys = [f"k{i}" for i in range(sampler.keys)]
    expression = jax_expression(sampler, call, keys)
    assert not isinstance(expression, str), expression
    text = source(expression)

    def draw(*key_values):
        return eval(text, {**namespace, **dict(zip(keys, key_values))})

    # Tracing checks that every jax.random function exists and accepts these arguments, and
    # gives the output's shape and dtype without compiling; the statistical tests run them.
    actual = jax.eval_shape(draw, *[jax.random.key(i) for i in range(len(keys))])
    assert actual.shape == expected.shape, text
    assert np.dtype(actual.dtype).kind == expected.dtype.kind, (text, actual.dtype, expected.dtype)


@pytest.mark.parametrize("api", sorted(SHUFFLES))
def test_shuffle_mapping_keeps_rows_and_axis(api):
    call = cst.parse_expression("rng.shuffle(x, axis=1)" if api == "generator" else "rng.shuffle(x)")
    expression = source(jax_expression(SHUFFLES[api], call, ["k0"]))
    x = np.arange(12.0).reshape(3, 4)
    shuffled = np.asarray(eval(expression, {"jax": jax, "jnp": jnp, "k0": jax.random.key(3), "x": x}))
    axis = 1 if api == "generator" else 0
    assert shuffled.shape == x.shape
    np.testing.assert_array_equal(np.sort(shuffled, axis=axis), np.sort(x, axis=axis))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_permuted_shuffles_each_slice_on_its_own(axis):
    x = np.arange(24.0).reshape(4, 6)
    call = cst.parse_expression("rng.permuted(x)" if axis is None else f"rng.permuted(x, axis={axis})")
    expression = source(jax_expression(GENERATOR["permuted"], call, ["k0"]))
    shuffled = np.asarray(eval(expression, {"jax": jax, "jnp": jnp, "k0": jax.random.key(5), "x": x}))
    expected = np.random.default_rng(0).permuted(x, axis=axis)
    assert shuffled.shape == expected.shape
    if axis is None:
        np.testing.assert_array_equal(np.sort(shuffled, axis=None), np.sort(x, axis=None))
    else:
        np.testing.assert_array_equal(np.sort(shuffled, axis=axis), x)  # same values within each slice
        assert not np.array_equal(shuffled, x)


def test_unmappable_arguments_give_a_reason():
    for text in ("rng.randint(0, 5, dtype=np.int8)", "rng.normal(*args)", "rng.normal(1.0, bogus=2)"):
        reason = jax_expression(LEGACY[text.split("(")[0].split(".")[1]], cst.parse_expression(text), ["k"])
        assert isinstance(reason, str) and reason
    reason = jax_expression(GENERATOR["integers"], cst.parse_expression("rng.integers(5, endpoint=flag)"), ["k"])
    assert isinstance(reason, str) and "endpoint" in reason

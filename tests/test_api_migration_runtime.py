"""Legacy code that uses removed JAX / NumPy APIs fails on the installed versions; after the
JX5xx rewrite it runs and computes what a hand-written current-API version computes, also under
``jax.jit``."""

from __future__ import annotations

import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from harness import assert_same, load_module, rewrite

JX5_ONLY = ["--select", "JX5"]  # this family alone: later codemods have their own runtime tests

LEGACY = textwrap.dedent(
    '''
    import jax
    import jax.numpy as jnp
    import numpy as np


    def sgd_step(params, grads, lr):
        return jax.tree_map(lambda p, g: p - lr * g, params, grads)


    def momentum_step(params, grads, velocity, lr, beta):
        velocity = jax.tree_util.tree_multimap(lambda v, g: beta * v + g, velocity, grads)
        params = jax.tree_util.tree_multimap(lambda p, v: p - lr * v, params, velocity)
        return params, velocity


    def global_norm(tree):
        leaves = jax.tree_leaves(tree)
        return jnp.sqrt(sum(jnp.sum(leaf ** 2) for leaf in leaves))


    def doubled(tree):
        leaves, treedef = jax.tree_flatten(tree, is_leaf=lambda x: x is None)
        return jax.tree_unflatten(treedef, [None if x is None else 2.0 * x for x in leaves])


    def total(tree):
        return jax.tree_reduce(lambda acc, leaf: acc + jnp.sum(leaf), tree, 0.0)


    def jnp_stats(x):
        return (
            jnp.product(x), jnp.cumproduct(x), jnp.alltrue(x > -1), jnp.sometrue(x > 2),
            jnp.round_(x, 1), jnp.maximum(x, jnp.NINF), jnp.NINF ** 2, jnp.fix(x),
            jnp.percentile(x, 50, interpolation="lower"), jnp.clip(x, a_min=-1.0, a_max=1.0),
            jnp.trapz(x), jnp.in1d(x.reshape(2, -1), x[:2]), jnp.zeros(2, jnp.float_),
        )


    def np_stats(x):
        a = np.asfarray(x)
        return (
            np.product(a), np.cumproduct(a), np.alltrue(a > -1), np.sometrue(a > 2), np.round_(a, 1),
            np.zeros(2, dtype=np.float_), np.msort(a.reshape(2, -1)), np.in1d(a.reshape(2, -1), a[:2]),
            np.trapz(a), np.NINF, np.NaN, np.PZERO,
        )
    '''
)

FROM_IMPORTS = textwrap.dedent(
    '''
    from jax import tree_map, tree_leaves
    from jax.tree_util import tree_multimap as tmm


    def combine(a, b):
        return tree_leaves(tmm(lambda x, y: x * y, tree_map(lambda x: x + 1, a), b))
    '''
)


def params():
    rng = np.random.default_rng(0)
    return {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2), "layers": [rng.normal(size=4), None]}


def grads():
    rng = np.random.default_rng(1)
    return {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2), "layers": [rng.normal(size=4), None]}


X = np.array([2.7, -0.4, 0.3, -1.5, 1.2, 0.6])  # unsorted along both axes of its (2, 3) reshape

# Written by hand with the current APIs: what the legacy functions meant.
REFERENCE = {
    "sgd_step": lambda p, g, lr: jax.tree.map(lambda a, b: a - lr * b, p, g),
    "momentum_step": lambda p, g, v, lr, beta: (
        jax.tree.map(lambda a, b, c: a - lr * (beta * b + c), p, v, g),
        jax.tree.map(lambda b, c: beta * b + c, v, g),
    ),
    "global_norm": lambda t: jnp.sqrt(sum(jnp.sum(leaf ** 2) for leaf in jax.tree.leaves(t))),
    "doubled": lambda t: jax.tree.map(lambda x: 2.0 * x, t),
    "total": lambda t: sum(float(np.sum(leaf)) for leaf in jax.tree.leaves(t)),
    "jnp_stats": lambda x: (
        jnp.prod(x), jnp.cumprod(x), jnp.all(x > -1), jnp.any(x > 2), jnp.round(x, 1),
        jnp.maximum(x, -jnp.inf), jnp.inf, jnp.trunc(x), jnp.percentile(x, 50, method="lower"),
        jnp.clip(x, -1.0, 1.0), jnp.trapezoid(x), jnp.isin(x.reshape(2, -1), x[:2]).ravel(), jnp.zeros(2),
    ),
    "np_stats": lambda x: (
        np.prod(x), np.cumprod(x), np.all(x > -1), np.any(x > 2), np.round(x, 1), np.zeros(2),
        np.sort(x.reshape(2, -1), axis=0), np.isin(x.reshape(2, -1), x[:2]).ravel(), np.trapezoid(x),
        -np.inf, np.nan, 0.0,
    ),
}

CALLS = {
    "sgd_step": (params(), grads(), 0.1),
    "momentum_step": (params(), grads(), params(), 0.1, 0.9),
    "global_norm": (params(),),
    "doubled": (params(),),
    "total": (params(),),
    "jnp_stats": (X,),
    "np_stats": (X,),
}
JITTABLE = ("sgd_step", "momentum_step", "global_norm", "doubled", "total", "jnp_stats")


@pytest.fixture(scope="module")
def migrated():
    result = rewrite(LEGACY, JX5_ONLY)
    assert result.changed and not result.failed
    assert {f.status.value for f in result.findings} == {"fixed"}, result.findings
    return load_module(result.rewritten, "api_migrated")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_legacy_code_fails_on_installed_versions(name):
    legacy = load_module(LEGACY, "api_legacy")
    with pytest.raises(AttributeError):
        getattr(legacy, name)(*CALLS[name])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_rewritten_code_matches_current_api(name, migrated):
    expected = REFERENCE[name](*CALLS[name])
    assert_same(expected, getattr(migrated, name)(*CALLS[name]))


@pytest.mark.parametrize("name", JITTABLE)
def test_rewritten_code_matches_under_jit(name, migrated):
    static = (2,) if name == "sgd_step" else (3, 4) if name == "momentum_step" else ()
    jitted = jax.jit(getattr(migrated, name), static_argnums=static)
    assert_same(REFERENCE[name](*CALLS[name]), jitted(*CALLS[name]))


def test_from_imports_fail_before_and_work_after():
    with pytest.raises(ImportError):
        load_module(FROM_IMPORTS, "api_from_legacy")
    a, b = {"x": np.arange(3.0), "y": 2.0}, {"x": np.full(3, 0.5), "y": 3.0}
    expected = [np.arange(3.0) * 0.5 + 0.5, 9.0]
    for target in ([], ["--target-jax", "0.4.20"]):
        result = rewrite(FROM_IMPORTS, JX5_ONLY + target)
        assert "tree_util" in result.rewritten if target else "jax.tree." in result.rewritten
        assert_same(expected, load_module(result.rewritten, "api_from_migrated").combine(a, b))

"""Parameters a jitted function must take as static: those JAX needs as concrete Python values.

``jax.jit`` traces every argument not named in ``static_argnames``; a traced value cannot be a
scan length, a loop bound, a split count or a shape. A parameter passed to such a place (as is,
or as an element of a shape tuple) must therefore be static.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from jaxify.analysis.effects import calls_in
from jaxify.analysis.mutation import parameters

# Arguments of JAX functions that must be concrete Python values under jit (positions, keywords).
# (Shapes of jnp constructors are in the value analysis.)
CONCRETE_ARGUMENTS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "jax.lax.scan": ((3, 4, 5), ("length", "reverse", "unroll")),
    "jax.lax.fori_loop": ((0, 1), ("lower", "upper", "unroll")),  # concrete bounds keep reverse-mode AD
    "jax.random.split": ((1,), ("num",)),
    "jax.numpy.reshape": ((1,), ("shape", "newshape")),
    "jax.lax.dynamic_slice": ((2,), ("slice_sizes",)),
    "jax.lax.dynamic_slice_in_dim": ((2,), ("slice_size",)),
}
# jax.random samplers by the position of their `shape` argument (the key comes first).
_RANDOM_SHAPE_POSITION = {
    1: ("normal", "uniform", "randint", "exponential", "laplace", "logistic", "gumbel", "cauchy", "rademacher",
        "maxwell", "bits", "double_sided_maxwell"),
    2: ("bernoulli", "gamma", "loggamma", "poisson", "chisquare", "t", "pareto", "dirichlet", "geometric",
        "rayleigh", "lognormal", "choice", "orthogonal", "ball", "generalized_normal", "f"),
    3: ("beta", "truncated_normal", "multivariate_normal", "binomial", "weibull_min", "categorical", "wald"),
    4: ("triangular",),
}
for _position, _names in _RANDOM_SHAPE_POSITION.items():
    for _name in _names:
        CONCRETE_ARGUMENTS[f"jax.random.{_name}"] = ((_position,), ("shape",))


def concrete_parameters(function: cst.FunctionDef, qualified_name: Callable[[cst.BaseExpression], str | None]) -> list[str]:
    """Parameters of ``function`` passed, alone or in a shape tuple, where a JAX function needs a
    concrete value: they must be static arguments."""
    params = {p.name.value for p in parameters(function)}
    found: list[str] = []
    for call in calls_in(function.body):
        positions, keywords = CONCRETE_ARGUMENTS.get(qualified_name(call.func) or "", ((), ()))
        positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
        chosen = [arg.value for index, arg in enumerate(positional) if index in positions]
        chosen += [arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value in keywords]
        for value in chosen:
            elements = [e.value for e in value.elements] if isinstance(value, (cst.Tuple, cst.List)) else [value]
            for element in elements:
                if isinstance(element, cst.Name) and element.value in params and element.value not in found:
                    found.append(element.value)
    return found

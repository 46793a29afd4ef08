"""The call-by-call table from NumPy samplers to ``jax.random``.

Each entry binds a NumPy call's arguments to NumPy's own signature and writes the JAX
expression that draws from the same distribution: ``size`` becomes ``shape`` (``None`` becomes
the broadcast shape of the distribution parameters, ``()`` for scalars), ``loc``/``scale`` become
an affine transform, bounds keep NumPy's inclusive/exclusive meaning and integer results keep an
integer dtype. A call this table cannot map exactly (an argument it does not know, ``*args``,
a NumPy function JAX has no sampler for) gets a reason instead of an expression.

The same table serves the legacy module functions (``np.random.normal``), ``RandomState``
methods and ``Generator`` methods; where the two APIs differ (``integers``, ``choice(axis=)``,
``permutation(axis=)``) the Generator entry is separate.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst

from jaxify.analysis.expressions import code_of

REQUIRED = "<required>"
VARARGS = "<varargs>"

source = code_of  # the one node-to-source helper, under the name the random codemods use


def is_atom(node: cst.BaseExpression) -> bool:
    """True when the expression can stand next to an operator without parentheses (a negative
    number counts: it is only ever placed where ``**`` does not follow it)."""
    if node.lpar or is_number(node):
        return True
    return isinstance(
        node,
        (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.Tuple, cst.List,
         cst.SimpleString),
    )


def is_number(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression
    return isinstance(node, (cst.Integer, cst.Float))


def is_none(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


class Args:
    """A NumPy call's arguments bound to the sampler's parameters, as source text."""

    def __init__(self, bound: dict[str, cst.BaseExpression], keys: list[str]):
        self.nodes = bound
        self.keys = keys

    def has(self, name: str) -> bool:
        return name in self.nodes

    def atom(self, name: str) -> str:
        node = self.nodes[name]
        text = source(node)
        return text if is_atom(node) else f"({text})"

    def array(self, name: str) -> str:
        """The argument as JAX accepts it: Python list/tuple literals become arrays."""
        node = self.nodes[name]
        if isinstance(node, (cst.List, cst.Tuple)):
            return f"jnp.asarray({source(node)})"
        return self.atom(name)

    def shape(self, *params: str, sequence: bool = False) -> str:
        """``size`` as a JAX shape; without it, the broadcast shape of the given parameters."""
        if self.has("size"):
            size = self.nodes["size"]
            if isinstance(size, cst.Integer):
                return f"({size.value},)"
            if sequence and not isinstance(size, (cst.Tuple, cst.List)):
                return f"jnp.broadcast_shapes({source(size)})"
            return source(size)
        arrays = [name for name in params if self.has(name) and not is_number(self.nodes[name])]
        if not arrays:
            return "()"
        return "jnp.broadcast_shapes({})".format(", ".join(f"jnp.shape({self.array(n)})" for n in arrays))

    def affine(self, loc: str | None, scale: str | None, core: str) -> str:
        """``loc + scale * core``, leaving out a default or literal 0 ``loc`` and 1 ``scale``."""
        text = f"{self.atom(scale)} * {core}" if scale and self._given(scale, "1") else core
        return f"{self.atom(loc)} + {text}" if loc and self._given(loc, "0") else text

    def _given(self, name: str, neutral: str) -> bool:
        node = self.nodes.get(name)
        if node is None:
            return False
        return not (isinstance(node, (cst.Integer, cst.Float)) and float(node.value) == float(neutral))


Builder = Callable[[Args], str]


@dataclasses.dataclass(frozen=True)
class Sampler:
    """How one NumPy sampler becomes JAX: its NumPy signature and the expression it becomes."""

    # (name, default): REQUIRED, VARARGS, None (optional, left out when absent) or the source text
    # of NumPy's default where the JAX call needs the value spelled out.
    params: tuple[tuple[str, str | None], ...]
    build: Builder
    keys: int = 1  # subkeys one call consumes
    unmapped: tuple[str, ...] = ()  # NumPy parameters this entry cannot carry over when given

    def bind(self, call: cst.Call) -> dict[str, cst.BaseExpression] | str:
        """The call's arguments by parameter name, or the reason they cannot be bound."""
        bound: dict[str, cst.BaseExpression] = {}
        names = [name for name, _ in self.params]
        positional = [arg for arg in call.args if arg.keyword is None]
        if self.params and self.params[0][1] == VARARGS:
            if any(arg.keyword is not None or arg.star == "**" for arg in call.args):
                return "it takes dimensions positionally only"
            # `rand(*x.shape)` unpacks a shape: kept as `*x.shape` inside the shape tuple
            bound.update({f"dim{i}": arg.value if not arg.star else cst.StarredElement(arg.value)
                          for i, arg in enumerate(call.args)})
            return bound
        if any(arg.star for arg in call.args):
            return "its arguments are unpacked with * or **, so they cannot be mapped one by one"
        if len(positional) > len(names):
            return "it has more positional arguments than NumPy's signature"
        for name, arg in zip(names, positional):
            bound[name] = arg.value
        for arg in call.args:
            if arg.keyword is None:
                continue
            name = arg.keyword.value
            if name not in names or name in bound:
                return f"its keyword `{name}=` is not part of NumPy's signature here"
            bound[name] = arg.value
        missing = [name for name, default in self.params if default == REQUIRED and name not in bound]
        if missing:
            return f"the required argument `{missing[0]}` is missing"
        for name in self.unmapped:
            if name in bound and not is_none(bound[name]):
                return f"`{name}=` has no counterpart in the JAX sampler"
        bound = {name: node for name, node in bound.items() if not is_none(node)}
        for name, default in self.params:
            if name not in bound and default not in (None, REQUIRED, VARARGS):
                bound[name] = cst.parse_expression(default)
        return bound


def _dims(a: Args) -> str:
    """``rand(d0, d1)`` -> ``(d0, d1)``; ``rand(*shape)`` -> ``shape`` itself."""
    nodes = [a.nodes[name] for name in sorted(a.nodes, key=lambda n: int(n[3:]))]
    if len(nodes) == 1 and isinstance(nodes[0], cst.StarredElement):
        return source(nodes[0].value)
    dims = [source(node) if isinstance(node, cst.StarredElement) else a.atom(name)
            for name, node in zip(sorted(a.nodes, key=lambda n: int(n[3:])), nodes)]
    if not dims:
        return "()"
    return "({},)".format(", ".join(dims)) if len(dims) == 1 else "({})".format(", ".join(dims))


def _randint(a: Args, *, inclusive: bool, start_without_high: str = "0") -> str:
    """NumPy's bounds: ``high`` exclusive (inclusive for ``endpoint=True`` and ``random_integers``);
    without ``high`` the range is [start, low)."""
    lo, hi = (a.atom("low"), a.atom("high")) if a.has("high") else (start_without_high, a.atom("low"))
    if inclusive:
        hi = f"{hi} + 1"
    return f"jax.random.randint({a.keys[0]}, {a.shape('low', 'high')}, {lo}, {hi})"


def _integers(a: Args) -> str:
    return _randint(a, inclusive=_is_true(a.nodes.get("endpoint")))


def _choice(a: Args) -> str:
    parts = [a.keys[0], a.array("a"), a.shape(sequence=True)]
    if a.has("replace"):
        parts.append(f"replace={source(a.nodes['replace'])}")
    if a.has("p"):
        parts.append(f"p={a.array('p')}")
    if a.has("axis"):
        parts.append(f"axis={source(a.nodes['axis'])}")
    return "jax.random.choice({})".format(", ".join(parts))


def _permutation(a: Args) -> str:
    axis = f", axis={source(a.nodes['axis'])}" if a.has("axis") else ""
    return f"jax.random.permutation({a.keys[0]}, {a.array('x')}{axis})"


def _scaled(name: str, *params: str, scale: str | None = "scale", loc: str | None = None) -> Builder:
    """``loc + scale * jax.random.<name>(key, *params, shape)``."""

    def build(a: Args) -> str:
        args = "".join(f", {a.array(p)}" for p in params)
        shape_of = tuple(p for p in (*params, loc, scale) if p)
        core = f"jax.random.{name}({a.keys[0]}{args}, {a.shape(*shape_of)})"
        return a.affine(loc, scale, core)

    return build


def _permuted(a: Args) -> str:
    """Each slice along ``axis`` shuffled on its own; NumPy's default ``axis=None`` shuffles all
    elements as one flat array."""
    if a.has("axis"):
        return f"jax.random.permutation({a.keys[0]}, {a.array('x')}, axis={source(a.nodes['axis'])}, independent=True)"
    x = a.array("x")
    return f"jax.random.permutation({a.keys[0]}, jnp.ravel({x})).reshape(jnp.shape({x}))"


def _multivariate_normal(a: Args) -> str:
    shape = f", shape={a.shape(sequence=True)}" if a.has("size") else ""
    # NumPy factors the covariance by SVD; the default Cholesky would fail on a singular one.
    return f"jax.random.multivariate_normal({a.keys[0]}, {a.array('mean')}, {a.array('cov')}{shape}, method='svd')"


def _dirichlet(a: Args) -> str:
    shape = f", shape={a.shape(sequence=True)}" if a.has("size") else ""
    return f"jax.random.dirichlet({a.keys[0]}, {a.array('alpha')}{shape})"


def _multinomial(a: Args) -> str:
    categories = f"jnp.shape({a.array('pvals')})[-1:]"
    shape = f"(*{a.shape(sequence=True)}, *{categories})" if a.has("size") else categories
    return f"jax.random.multinomial({a.keys[0]}, {a.atom('n')}, {a.array('pvals')}, shape={shape}).astype(int)"


def _lognormal(a: Args) -> str:
    core = f"jax.random.normal({a.keys[0]}, {a.shape('mean', 'sigma')})"
    return f"jnp.exp({a.affine('mean', 'sigma', core)})"


def _pareto(a: Args) -> str:
    # NumPy draws Pareto II (Lomax, support >= 0); JAX the classical Pareto (support >= 1).
    return f"jax.random.pareto({a.keys[0]}, {a.array('a')}, {a.shape('a')}) - 1"


def _weibull(a: Args) -> str:
    return f"jax.random.weibull_min({a.keys[0]}, 1.0, {a.array('a')}, {a.shape('a')})"


def _wald(a: Args) -> str:
    # JAX fixes the shape parameter to 1; IG(mean, scale) == scale * IG(mean / scale, 1).
    return (
        f"{a.atom('scale')} * jax.random.wald({a.keys[0]}, {a.atom('mean')} / {a.atom('scale')}, "
        f"{a.shape('mean', 'scale')})"
    )


def _power(a: Args) -> str:
    return f"jax.random.uniform({a.keys[0]}, {a.shape('a')}) ** (1 / {a.atom('a')})"


def _negative_binomial(a: Args) -> str:
    # The gamma-Poisson mixture: NB(n, p) == Poisson(Gamma(n, scale=(1 - p) / p)).
    n, p = a.array("n"), a.atom("p")
    shape = a.shape("n", "p")
    return f"jax.random.poisson({a.keys[1]}, jax.random.gamma({a.keys[0]}, {n}, {shape}) * (1 - {p}) / {p}, {shape})"


def _binomial(a: Args) -> str:
    # JAX's binomial returns floats; NumPy's counts are integers.
    return f"jax.random.binomial({a.keys[0]}, {a.array('n')}, {a.array('p')}, {a.shape('n', 'p')}).astype(int)"


def _uniform(a: Args) -> str:
    bounds = ""
    if a.has("low"):
        bounds += f", minval={a.atom('low')}"
    if a.has("high"):
        bounds += f", maxval={a.atom('high')}"
    return f"jax.random.uniform({a.keys[0]}, {a.shape('low', 'high')}{bounds})"


_R = REQUIRED
_SIZE = ("size", None)
_UNIFORM_01 = Sampler((_SIZE,), lambda a: f"jax.random.uniform({a.keys[0]}, {a.shape()})")
_STANDARD_NORMAL = Sampler((_SIZE,), lambda a: f"jax.random.normal({a.keys[0]}, {a.shape()})")
_GENERATOR_EXTRAS = ("dtype", "out")

# Samplers shared by the legacy functions, RandomState methods and Generator methods.
COMMON: dict[str, Sampler] = {
    "uniform": Sampler((("low", None), ("high", None), _SIZE), _uniform),
    "normal": Sampler((("loc", None), ("scale", None), _SIZE), _scaled("normal", loc="loc")),
    "binomial": Sampler((("n", _R), ("p", _R), _SIZE), _binomial),
    "poisson": Sampler((("lam", "1.0"), _SIZE), _scaled("poisson", "lam", scale=None)),
    "exponential": Sampler((("scale", None), _SIZE), _scaled("exponential")),
    "gamma": Sampler((("shape", _R), ("scale", None), _SIZE), _scaled("gamma", "shape")),
    "beta": Sampler((("a", _R), ("b", _R), _SIZE), _scaled("beta", "a", "b", scale=None)),
    "dirichlet": Sampler((("alpha", _R), _SIZE), _dirichlet),
    "multinomial": Sampler((("n", _R), ("pvals", _R), _SIZE), _multinomial),
    "laplace": Sampler((("loc", None), ("scale", None), _SIZE), _scaled("laplace", loc="loc")),
    "logistic": Sampler((("loc", None), ("scale", None), _SIZE), _scaled("logistic", loc="loc")),
    "gumbel": Sampler((("loc", None), ("scale", None), _SIZE), _scaled("gumbel", loc="loc")),
    "lognormal": Sampler((("mean", None), ("sigma", None), _SIZE), _lognormal),
    "chisquare": Sampler((("df", _R), _SIZE), _scaled("chisquare", "df", scale=None)),
    "standard_t": Sampler((("df", _R), _SIZE), _scaled("t", "df", scale=None)),
    "f": Sampler((("dfnum", _R), ("dfden", _R), _SIZE), _scaled("f", "dfnum", "dfden", scale=None)),
    "standard_cauchy": Sampler((_SIZE,), _scaled("cauchy", scale=None)),
    "pareto": Sampler((("a", _R), _SIZE), _pareto),
    "weibull": Sampler((("a", _R), _SIZE), _weibull),
    "wald": Sampler((("mean", _R), ("scale", _R), _SIZE), _wald),
    "rayleigh": Sampler((("scale", "1.0"), _SIZE), _scaled("rayleigh", "scale", scale=None)),
    "triangular": Sampler(
        (("left", _R), ("mode", _R), ("right", _R), _SIZE), _scaled("triangular", "left", "mode", "right", scale=None)
    ),
    "geometric": Sampler((("p", _R), _SIZE), _scaled("geometric", "p", scale=None)),
    "power": Sampler((("a", _R), _SIZE), _power),
    "negative_binomial": Sampler((("n", _R), ("p", _R), _SIZE), _negative_binomial, keys=2),
}

# The legacy API: module functions of numpy.random and RandomState methods.
LEGACY: dict[str, Sampler] = {
    **COMMON,
    "rand": Sampler((("dims", VARARGS),), lambda a: f"jax.random.uniform({a.keys[0]}, {_dims(a)})"),
    "randn": Sampler((("dims", VARARGS),), lambda a: f"jax.random.normal({a.keys[0]}, {_dims(a)})"),
    "random": _UNIFORM_01,
    "random_sample": _UNIFORM_01,
    "ranf": _UNIFORM_01,
    "sample": _UNIFORM_01,
    "standard_normal": _STANDARD_NORMAL,
    "standard_exponential": Sampler((_SIZE,), _scaled("exponential", scale=None)),
    "standard_gamma": Sampler((("shape", _R), _SIZE), _scaled("gamma", "shape", scale=None)),
    "randint": Sampler((("low", _R), ("high", None), _SIZE, ("dtype", None)), lambda a: _randint(a, inclusive=False),
                       unmapped=("dtype",)),
    "random_integers": Sampler((("low", _R), ("high", None), _SIZE), lambda a: _randint(a, inclusive=True, start_without_high="1")),
    "choice": Sampler((("a", _R), _SIZE, ("replace", None), ("p", None)), _choice),
    "permutation": Sampler((("x", _R),), _permutation),
    "multivariate_normal": Sampler(
        (("mean", _R), ("cov", _R), _SIZE, ("check_valid", None), ("tol", None)), _multivariate_normal,
        unmapped=("check_valid", "tol"),
    ),
}

# numpy.random.Generator methods.
GENERATOR: dict[str, Sampler] = {
    **COMMON,
    "random": Sampler((_SIZE, ("dtype", None), ("out", None)), _UNIFORM_01.build, unmapped=_GENERATOR_EXTRAS),
    "standard_normal": Sampler((_SIZE, ("dtype", None), ("out", None)), _STANDARD_NORMAL.build,
                               unmapped=_GENERATOR_EXTRAS),
    "standard_exponential": Sampler(
        (_SIZE, ("dtype", None), ("method", None), ("out", None)), _scaled("exponential", scale=None),
        unmapped=(*_GENERATOR_EXTRAS, "method"),
    ),
    "standard_gamma": Sampler((("shape", _R), _SIZE, ("dtype", None), ("out", None)),
                              _scaled("gamma", "shape", scale=None), unmapped=_GENERATOR_EXTRAS),
    "integers": Sampler(
        (("low", _R), ("high", None), _SIZE, ("dtype", None), ("endpoint", None)), _integers, unmapped=("dtype",)
    ),
    "choice": Sampler(
        (("a", _R), _SIZE, ("replace", None), ("p", None), ("axis", None), ("shuffle", None)), _choice,
        unmapped=("shuffle",),
    ),
    "permutation": Sampler((("x", _R), ("axis", None)), _permutation),
    "permuted": Sampler((("x", _R), ("axis", None), ("out", None)), _permuted, unmapped=("out",)),
    "multivariate_normal": Sampler(
        (("mean", _R), ("cov", _R), _SIZE, ("check_valid", None), ("tol", None), ("method", None)),
        _multivariate_normal, unmapped=("check_valid", "tol", "method"),
    ),
}

# Draws that shuffle their argument in place; rewritten as ``x = jax.random.permutation(k, x)``.
SHUFFLES: dict[str, Sampler] = {
    "legacy": Sampler((("x", _R),), _permutation),
    "generator": Sampler((("x", _R), ("axis", None)), _permutation),
}

NO_EQUIVALENT = frozenset(
    {"hypergeometric", "multivariate_hypergeometric", "logseries", "zipf", "vonmises", "noncentral_chisquare",
     "noncentral_f", "bytes", "tomaxint", "spawn"}
)
STATE_ACCESS = frozenset({"get_state", "set_state", "set_bit_generator", "get_bit_generator", "bit_generator"})


def sampler_for(api: str, name: str) -> Sampler | None:
    table = GENERATOR if api == "generator" else LEGACY
    return table.get(name)


def jax_expression(sampler: Sampler, call: cst.Call, keys: list[str]) -> cst.BaseExpression | str:
    """The JAX expression for ``call``, or the reason it cannot be written exactly."""
    bound = _bound(sampler, call)
    if isinstance(bound, str):
        return bound
    return cst.parse_expression(sampler.build(Args(bound, keys)))


def jax_expression_problem(sampler: Sampler, call: cst.Call) -> str | None:
    """Why ``jax_expression`` cannot write ``call`` exactly, or None: without building it."""
    bound = _bound(sampler, call)
    return bound if isinstance(bound, str) else None


def _bound(sampler: Sampler, call: cst.Call) -> dict[str, cst.BaseExpression] | str:
    bound = sampler.bind(call)
    if isinstance(bound, str):
        return bound
    endpoint = bound.get("endpoint")
    if endpoint is not None and not (isinstance(endpoint, cst.Name) and endpoint.value in ("True", "False")):
        return "`endpoint=` is not a literal True/False, so the upper bound cannot be fixed"
    return bound

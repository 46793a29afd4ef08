"""What jax.numpy offers in place of a NumPy function, read from the installed JAX's facts.

``in_jax_numpy("linalg.norm")`` says whether the installed ``jax.numpy.linalg.norm`` exists, and
``call_fits_jax(member, call)`` checks a call's positional count and keywords against that
function's own signature (both from :mod:`jaxify.jax_facts`, which imports JAX only when the
installed versions' facts are not kept yet), so a keyword jax.numpy does not take (``out=``, ``a_min=``,
``interpolation=``) keeps the call on NumPy. The only hand-written facts are the short tables
below: names jax.numpy has with a different meaning.
"""

from __future__ import annotations

import functools
import types

import libcst as cst
import numpy

from jaxify.analysis.effects import (  # noqa: F401  (HOST_ONLY is read through this module)
    ARRAY_IN_PLACE_METHODS,
    CONCRETE_METHODS,
    CONVERTING_BUILTINS,
    HOST_ONLY,
    IO_METHODS,
    NUMPY_IN_PLACE_FUNCTIONS,
)
from jaxify.analysis.numpy_api import numpy_function
from jaxify.jax_facts import jax_facts

# NumPy submodules that are not array computation jax.numpy can take over (random is JX2's).
NUMPY_ONLY_PREFIXES = ("random.", "char.", "ma.", "polynomial.", "testing.", "lib.", "rec.",
                       "strings.", "ctypeslib.", "emath.", "typing.", "dtypes.", "exceptions.")

# Output shape depends on the values: not traceable without size=/length=.
DYNAMIC_SHAPE = {
    "nonzero": "pass `size=` and `fill_value=` to jnp.nonzero (fill_value=0 is a valid index)",
    "argwhere": "pass `size=` and `fill_value=` to jnp.argwhere",
    "flatnonzero": "pass `size=` and `fill_value=` to jnp.flatnonzero",
    "extract": "use jnp.where(condition, x, 0) or pass `size=`",
    "compress": "use jnp.where(condition, x, 0) or pass `size=`",
    "unique": "pass `size=` and `fill_value=` to jnp.unique (it pads with the smallest value)",
    "unique_values": "pass `size=` to jnp.unique_values",
    "unique_counts": "pass `size=` to jnp.unique_counts",
    "unique_inverse": "pass `size=` to jnp.unique_inverse",
    "unique_all": "pass `size=` to jnp.unique_all",
    "setdiff1d": "pass `size=` and `fill_value=` to jnp.setdiff1d",
    "union1d": "pass `size=` and `fill_value=` to jnp.union1d",
    "intersect1d": "pass `size=` and `fill_value=` to jnp.intersect1d",
    "setxor1d": "pass `size=` and `fill_value=` to jnp.setxor1d",
    "bincount": "pass `length=` to jnp.bincount",
    "trim_zeros": "slice with static bounds instead",
}
ONE_ARGUMENT_WHERE = "use jnp.where(condition, size=...) / jnp.nonzero(condition, size=...)"

# What the effects table says about NumPy's host-only functions, in-place functions and methods,
# and host round trips (`x.item()`, `float(x)`, `x.tofile(f)`).
IN_PLACE_FUNCTIONS = NUMPY_IN_PLACE_FUNCTIONS
IN_PLACE_METHODS = ARRAY_IN_PLACE_METHODS
HOST_ROUND_TRIP_METHODS = CONCRETE_METHODS | IO_METHODS
HOST_ROUND_TRIP_BUILTINS = CONVERTING_BUILTINS

# math functions and the jax.numpy function that computes the same value on a traced float (math's
# float conversion aside): both are IEEE functions of one float64. Left out: floor, ceil and trunc
# (math returns a Python int, jax.numpy a float), pow and fabs's integer cases (jnp keeps integer
# dtypes), log with a base, and erf / gamma (not in jax.numpy).
MATH_TO_JAX_NUMPY = {
    "exp": "exp", "expm1": "expm1", "exp2": "exp2", "log10": "log10", "log2": "log2", "log1p": "log1p",
    "sqrt": "sqrt", "cbrt": "cbrt", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "arcsin", "acos": "arccos",
    "atan": "arctan", "atan2": "arctan2", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "asinh": "arcsinh",
    "acosh": "arccosh", "atanh": "arctanh", "hypot": "hypot", "copysign": "copysign", "degrees": "degrees",
    "radians": "radians", "isnan": "isnan", "isinf": "isinf", "isfinite": "isfinite", "log": "log",
}

# Creation functions that accept Python lists (every other function wants arrays).
ACCEPT_LISTS = frozenset({"array", "asarray", "asanyarray", "ascontiguousarray"})
# Functions whose first argument is a sequence of arrays: each element may be a nested list.
SEQUENCE_OF_ARRAYS = frozenset({"concatenate", "stack", "vstack", "hstack", "dstack", "column_stack",
                                "block", "row_stack", "broadcast_arrays", "meshgrid"})

# Measured with x64 on (jax 0.10.2, NumPy 2.4) by calling both libraries on bool, int8, int32,
# int64, float32 and float64 inputs; the rows below are where the results' dtypes differ.
#
# The result's dtype (or Python type) differs whatever the input: the call stays NumPy.
_PYTHON_BOOL = ("returns a Python bool where jax.numpy returns a jax array, which `is True`, "
                "`isinstance(_, bool)` and JSON tell apart")
DIFFERENT_RESULT_DTYPE = {
    "allclose": f"np.allclose {_PYTHON_BOOL}",
    "array_equal": f"np.array_equal {_PYTHON_BOOL}",
    "array_equiv": f"np.array_equiv {_PYTHON_BOOL}",
    "histogram": "jnp.histogram returns float counts where NumPy returns int64",
    "searchsorted": "jnp.searchsorted returns int32 indices where NumPy returns int64",
    "digitize": "jnp.digitize returns int32 indices where NumPy returns int64",
    "roots": "jnp.roots always returns complex roots, where NumPy returns floats when every root is real "
             "(and it cannot strip leading zeros under jax.jit)",
}
# With only integer or bool inputs, jax.numpy returns floats where NumPy keeps integers: these
# move only when an argument is known to be floating.
INTEGER_INPUTS_BECOME_FLOAT = frozenset({"convolve", "correlate", "reciprocal"})
# NumPy computes these in float64 for bool, integer and float32 inputs; jax.numpy computes them in
# float32 for bool and 8- to 32-bit inputs even with x64 on. Arguments known to have such a dtype
# are cast to float64 first, which is what NumPy does inside.
FLOAT64_INSIDE = frozenset(
    {"mean", "std", "var", "median", "average", "nanmean", "nanstd", "nanvar", "nanmedian",
     "percentile", "quantile", "nanpercentile", "nanquantile", "cov", "corrcoef", "interp",
     "gradient", "linalg.norm", "linalg.det", "trapezoid", "true_divide", "divide",
     "fft.fft", "fft.ifft", "fft.rfft", "fft.fft2", "fft.fftn"}
)
NARROW_DTYPES = frozenset({"bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float16", "float32"})

# Results that are right in more than one form, where jax may return another form than NumPy:
# moved only with --unsafe (JX605), with this as the assumption.
NOT_UNIQUE = {
    "linalg.eigh": "eigenvectors are unique only up to sign; jax may return some with the other sign",
    "linalg.eig": "eigenvectors are unique only up to a factor; jax may scale or order them differently",
    "linalg.svd": "singular vectors are unique only up to sign; jax may return some with the other sign",
    "linalg.qr": "a QR factorisation is unique only up to the signs of R's diagonal; jax may pick others",
}
NOT_UNIQUE_HINT = {
    "argsort": "pass kind='stable' to np.argsort if ties must keep their order",
}
DEFAULT_NOT_UNIQUE_HINT = "fix the convention explicitly (e.g. make the largest component of each vector positive)"

# Sort-kind keywords jax.numpy rejects: its sorts are always stable.
STABLE_KINDS = ("stable", "mergesort")


ATTRIBUTES_MISSING_ON_JAX_ARRAYS = jax_facts().missing_attributes


def _is_numpy_module_function(member: str) -> bool:
    """``numpy.<member>`` is reached through modules only (``linalg.norm`` yes, ``ndarray.sum`` no)."""
    parent = numpy
    for part in member.split(".")[:-1]:
        parent = getattr(parent, part, None)
        if not isinstance(parent, types.ModuleType):
            return False
    return True


@functools.lru_cache(maxsize=None)
def in_jax_numpy(member: str) -> bool:
    """Whether the installed ``jax.numpy.<member>`` exists (``member`` may be dotted: ``linalg.norm``)."""
    if member.startswith(NUMPY_ONLY_PREFIXES) or member.split(".")[-1] in HOST_ONLY:
        return False
    if not _is_numpy_module_function(member):
        return False  # `np.ndarray.__getitem__` names a method of NumPy's own class, not jax's
    return member in jax_facts().functions


def call_fits_jax(member: str, call: cst.Call, dropped_keywords: frozenset[str] = frozenset()) -> str:
    """Empty when ``jax.numpy.<member>`` takes the call's arguments; else what does not fit."""
    if any(arg.star for arg in call.args):
        return "arguments are unpacked with * or **, so they cannot be checked"
    ufunc = numpy_function(member)
    if isinstance(ufunc, numpy.ufunc):
        # jax.numpy's ufuncs take the inputs only: a further positional is NumPy's `out`
        if sum(arg.keyword is None for arg in call.args) > ufunc.nin:
            return "a positional `out` argument writes an array in place"
        extra = [arg.keyword.value for arg in call.args if arg.keyword is not None]
        return f"jax.numpy.{member} takes no `{extra[0]}=` keyword" if extra else ""
    if not in_jax_numpy(member):
        return f"jax.numpy has no `{member}`"
    parameters = jax_facts().functions[member]
    if parameters is None:
        return ""  # no signature to check against
    positional_slots = [name for name, kind in parameters if kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    takes_varargs = any(kind == "VAR_POSITIONAL" for _, kind in parameters)
    takes_kwargs = any(kind == "VAR_KEYWORD" for _, kind in parameters)
    keyword_names = {name for name, kind in parameters if kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")}
    positional = [arg for arg in call.args if arg.keyword is None]
    if len(positional) > len(positional_slots) and not takes_varargs:
        return f"jax.numpy.{member} takes at most {len(positional_slots)} positional arguments"
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value in dropped_keywords:
            continue
        name = arg.keyword.value
        if name not in keyword_names and not takes_kwargs:
            return f"jax.numpy.{member} has no `{name}=` keyword"
        if name == "out" and not (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
            return "`out=` writes an array in place"
    return ""

"""Facts about the NumPy / jax.numpy API that the value-kind analysis reads.

Which arguments of a NumPy function must be static Python values is read from the installed
NumPy's own signatures (a parameter named ``shape``, ``axis``, ``size``, ``dtype``, ...), not from a
hand list of functions; the small tables below only name what signatures cannot tell.
"""

from __future__ import annotations

import functools
import inspect

import numpy

# Parameter names that hold shapes, axes, counts or dtypes: under jax.jit these must be concrete.
STATIC_PARAMETERS = frozenset(
    {
        "shape", "newshape", "size", "axis", "axes", "axis1", "axis2", "source", "destination",
        "keepdims", "dtype", "num", "N", "M", "k", "ndmin", "reps", "ord", "ddof", "order",
        "endpoint", "retstep", "decimals", "indices_or_sections", "deg", "n", "bins", "length",
        "kind", "mode", "side", "full_matrices", "compute_uv", "norm", "UPLO", "lower",
        "pad_width", "method", "interpolation", "casting", "rowvar", "bias", "copy", "subok",
        "indexing", "sparse", "assume_unique", "return_index", "return_inverse", "return_counts",
        "equal_nan", "optimize",
    }
)
# Static parameters that only take Python ints (shapes, axes, counts), not dtypes or flags.
INTEGRAL_PARAMETERS = frozenset(
    {"shape", "newshape", "size", "axis", "axis1", "axis2", "num", "N", "M", "k", "ndmin", "reps",
     "ddof", "n", "start_or_stop", "pad_width"}
)
# np.arange's bounds fix the output length, so all of them are static.
_ARANGE_BOUNDS = frozenset({"start_or_stop", "start", "stop", "step"})

# NumPy functions whose result is a Python-level static value (a shape, a dtype, a flag).
STATIC_RESULT = frozenset(
    {
        "shape", "ndim", "size", "dtype", "result_type", "promote_types", "can_cast", "iinfo",
        "finfo", "issubdtype", "isscalar", "min_scalar_type", "broadcast_shapes", "isdtype",
        "get_printoptions", "set_printoptions", "seterr", "geterr", "errstate", "random.seed",
        "save", "savez", "savez_compressed", "savetxt", "ndarray", "dtypes",
    }
)
# NumPy scalar types used as functions (np.float64(x)): the result is as static as the argument.
SCALAR_TYPES = frozenset(
    {
        "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
        "uint32", "uint64", "bool_", "complex64", "complex128", "double", "single", "intp",
    }
)

# Array attributes whose value is static under jit.
STATIC_ATTRIBUTES = frozenset({"shape", "ndim", "size", "dtype", "itemsize", "nbytes"})
# Array attributes that are arrays of their base.
ARRAY_ATTRIBUTES = frozenset({"T", "mT", "real", "imag", "flat"})

# Array methods whose positional arguments are all static (x.reshape(n, m), x.transpose(1, 0)).
STATIC_POSITIONAL_METHODS = frozenset({"reshape", "transpose", "swapaxes", "squeeze", "astype", "view"})
# Reduction-style methods whose first positional argument is the axis.
AXIS_FIRST_METHODS = frozenset(
    {"sum", "mean", "std", "var", "max", "min", "prod", "cumsum", "cumprod", "argmax", "argmin",
     "any", "all", "ptp", "sort", "argsort"}
)

# Builtins whose result is a static Python value whatever the argument.
STATIC_BUILTINS = frozenset(
    {"len", "range", "str", "repr", "format", "isinstance", "issubclass", "type", "hasattr",
     "callable", "id", "print", "hash", "slice"}
)
# Builtins whose result is as static as their arguments (int(n) is static when n is).
PASS_THROUGH_BUILTINS = frozenset(
    {"int", "float", "bool", "complex", "abs", "round", "min", "max", "sum", "pow", "divmod",
     "tuple", "list", "sorted", "reversed", "enumerate", "zip", "dict", "set", "frozenset", "map",
     "filter", "any", "all"}
)

# Host-only calls: I/O and libraries that work on host values. Qualified names or prefixes.
HOST_CALLS = {
    "builtins.print": "prints to stdout",
    "builtins.open": "file I/O",
    "builtins.input": "reads stdin",
    "builtins.breakpoint": "debugger",
    "numpy.load": "file I/O",
    "numpy.save": "file I/O",
    "numpy.savez": "file I/O",
    "numpy.savez_compressed": "file I/O",
    "numpy.loadtxt": "file I/O",
    "numpy.savetxt": "file I/O",
    "numpy.genfromtxt": "file I/O",
    "numpy.fromfile": "file I/O",
    "numpy.fromregex": "file I/O",
    "numpy.memmap": "file I/O",
}
HOST_MODULES = {
    "matplotlib": "plotting",
    "pandas": "pandas works on host values",
    "pickle": "file I/O",
    "json": "file I/O",
    "csv": "file I/O",
    "h5py": "file I/O",
    "os": "operating-system call",
    "shutil": "file I/O",
    "logging": "logging",
    "time": "reads the clock",
    "scipy.io": "file I/O",
}


def host_reason(qualified: str | None) -> str | None:
    """Why a call to ``qualified`` can only run on the host, or None when it can be traced."""
    if qualified is None:
        return None
    if qualified in HOST_CALLS:
        return HOST_CALLS[qualified]
    for module, reason in HOST_MODULES.items():
        if qualified == module or qualified.startswith(module + "."):
            return reason
    return None


@functools.lru_cache(maxsize=None)
def numpy_function(member: str):
    """The installed NumPy object named ``member`` ("zeros", "random.normal"), or None."""
    target = numpy
    for part in member.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


@functools.lru_cache(maxsize=None)
def parameter_names(member: str) -> dict[int, str]:
    """Positional parameter names of ``numpy.<member>`` by position."""
    function = numpy_function(member)
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return {}
    return {
        index: p.name for index, p in enumerate(signature.parameters.values())
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    }


@functools.lru_cache(maxsize=None)
def static_parameters(member: str) -> tuple[tuple[int, ...], frozenset[str], bool]:
    """(positions, keyword names, all-varargs-static) of the static parameters of ``numpy.<member>``."""
    function = numpy_function(member)
    if function is None or not callable(function):
        return (), frozenset(), False
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return (), frozenset(), False
    is_arange = member == "arange"
    positions, names, varargs = [], set(), False
    for index, parameter in enumerate(signature.parameters.values()):
        static = parameter.name in STATIC_PARAMETERS or (is_arange and parameter.name in _ARANGE_BOUNDS)
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            # np.random.randn(*dims), np.random.rand(*dims): the varargs are the shape
            varargs = member.startswith("random.")
            continue
        if not static:
            continue
        names.add(parameter.name)
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            positions.append(index)
    return tuple(positions), frozenset(names), varargs

"""The data behind JX5xx: which removed or renamed JAX and NumPy names map to what.

Every entry is keyed by the fully qualified name of the old API, as LibCST's
QualifiedNameProvider resolves it (``import numpy as np; np.float_`` is ``numpy.float_``).
``tests/test_api_tables.py`` checks that every replacement named here exists in the installed
JAX and NumPy, and that the tree functions keep their parameters.
"""

from __future__ import annotations

import dataclasses
import enum
import re

TREE_API = "JX501"
JNP_ALIAS = "JX502"
NUMPY2_NAME = "JX503"
JAX_API = "JX504"
JAX_API_MANUAL = "JX505"
DISCARDED_AT = "JX506"


class Form(enum.Enum):
    RENAME = "rename"  # every reference becomes a reference to ``new`` (a dotted path)
    NEGATED = "negated"  # every reference becomes ``-new``
    LITERAL = "literal"  # every reference becomes the Python literal ``new``
    CALL = "call"  # only a call can be rewritten: to a call of ``new``, by the rewrite named ``call``
    REPORT = "report"  # no exact rewrite: a finding says what to do instead


@dataclasses.dataclass(frozen=True)
class Mapping:
    old: str
    form: Form
    new: str
    code: str
    history: str  # when the old name went away, for the finding's message
    unsafe_because: str = ""  # set when the replacement is right only under an assumption
    hint: str = ""  # what to do (REPORT entries), or what to check (unsafe entries)
    call: str = ""  # CALL entries: the name of the argument rewrite in ``api_calls.CALL_REWRITES``
    in_imports: bool = False  # the import statement is renamed in place; names it binds stay valid
    safe_in_annotations: bool = False  # the unsafe_because does not apply inside a type annotation


TREE_FUNCTIONS = ("all", "flatten", "leaves", "map", "reduce", "structure", "transpose", "unflatten")
"""``jax.tree.X`` functions that exist since ``jax.tree`` appeared, same parameters as ``tree_util.tree_X``."""

TREE_WITH_PATH_FUNCTIONS = ("flatten_with_path", "leaves_with_path", "map_with_path")

JAX_TREE_SINCE = (0, 4, 25)
JAX_TREE_WITH_PATH_SINCE = (0, 4, 38)

REMOVED_TOP_LEVEL_TREE = ("map", "flatten", "unflatten", "leaves", "structure", "transpose", "reduce")
"""``jax.tree_X`` names that were removed from the top-level ``jax`` namespace in JAX 0.6.0."""


def tree_mappings(target_jax: tuple[int, ...]) -> dict[str, Mapping]:
    """JX501 for code that must run on ``target_jax``: ``jax.tree.*`` where it exists, else ``tree_util``."""
    has_tree = target_jax >= JAX_TREE_SINCE
    has_with_path = target_jax >= JAX_TREE_WITH_PATH_SINCE

    def current(function: str, with_path: bool = False) -> str:
        if has_with_path or (has_tree and not with_path):
            return f"jax.tree.{function}"
        return f"jax.tree_util.tree_{function}"

    table: dict[str, Mapping] = {}
    for function in REMOVED_TOP_LEVEL_TREE:
        table[f"jax.tree_{function}"] = Mapping(
            f"jax.tree_{function}", Form.RENAME, current(function), TREE_API, "removed in JAX 0.6.0"
        )
    table["jax.treedef_is_leaf"] = Mapping(
        "jax.treedef_is_leaf", Form.RENAME, "jax.tree_util.treedef_is_leaf", TREE_API, "removed in JAX 0.6.0"
    )
    for multimap in ("jax.tree_multimap", "jax.tree_util.tree_multimap"):
        table[multimap] = Mapping(
            multimap, Form.RENAME, current("map"), TREE_API, "removed in JAX 0.3.16; tree_map takes several trees"
        )
    for functions, with_path in ((TREE_FUNCTIONS, False), (TREE_WITH_PATH_FUNCTIONS, True)):
        for function in functions:
            old = f"jax.tree_util.tree_{function}"
            new = current(function, with_path)
            if new != old:
                table[old] = Mapping(old, Form.RENAME, new, TREE_API, "superseded by the jax.tree module")
    return table


def _renames(code: str, module: str, history: str, pairs: dict[str, str]) -> dict[str, Mapping]:
    return {
        f"{module}.{old}": Mapping(f"{module}.{old}", Form.RENAME, f"{module}.{new}", code, history)
        for old, new in pairs.items()
    }


def _entry(old: str, form: Form, new: str, code: str, history: str, **extra) -> dict[str, Mapping]:
    return {old: Mapping(old, form, new, code, history, **extra)}


JNP_ALIASES: dict[str, Mapping] = {
    **_renames(
        JNP_ALIAS, "jax.numpy", "removed in JAX 0.4.16",
        {"product": "prod", "cumproduct": "cumprod", "alltrue": "all", "sometrue": "any"},
    ),
    **_renames(JNP_ALIAS, "jax.numpy", "removed in JAX 0.4.24", {"row_stack": "vstack", "trapz": "trapezoid"}),
    **_renames(JNP_ALIAS, "jax.numpy", "removed in JAX 0.4.24", {"PINF": "inf", "Inf": "inf", "NaN": "nan"}),
    **_renames(JNP_ALIAS, "jax.numpy", "removed in JAX 0.4.38", {"round_": "round"}),
    **_renames(JNP_ALIAS, "jax.numpy", "removed in JAX 0.10.0", {"fix": "trunc"}),
    # Still present in JAX, gone from NumPy 2: one spelling that works in both libraries.
    **_renames(JNP_ALIAS, "jax.numpy", "removed from NumPy 2.0", {"float_": "float64", "complex_": "complex128"}),
    **_entry("jax.numpy.NINF", Form.NEGATED, "jax.numpy.inf", JNP_ALIAS, "removed in JAX 0.4.24"),
    **_entry("jax.numpy.NZERO", Form.LITERAL, "-0.0", JNP_ALIAS, "removed in JAX 0.4.24"),
    **_entry("jax.numpy.PZERO", Form.LITERAL, "0.0", JNP_ALIAS, "removed in JAX 0.4.24"),
    **_entry("jax.numpy.in1d", Form.CALL, "jax.numpy.isin", JNP_ALIAS, "removed in JAX 0.4.24", call="in1d"),
    **_entry(
        "jax.numpy.issubsctype", Form.REPORT, "", JNP_ALIAS, "removed in JAX 0.4.24",
        hint="use `jnp.issubdtype(x.dtype, t)` on the dtypes you mean",
    ),
}

NUMPY2_NAMES: dict[str, Mapping] = {
    **_renames(
        NUMPY2_NAME, "numpy", "removed in NumPy 2.0",
        {
            "float_": "float64", "complex_": "complex128", "cfloat": "complex128",
            "singlecomplex": "complex64", "longfloat": "longdouble", "longcomplex": "clongdouble",
            "clongfloat": "clongdouble", "unicode_": "str_", "string_": "bytes_",
            "NaN": "nan", "Inf": "inf", "Infinity": "inf", "infty": "inf", "PINF": "inf",
            "product": "prod", "cumproduct": "cumprod", "alltrue": "all", "sometrue": "any",
            "round_": "round", "mat": "asmatrix",
        },
    ),
    **_renames(NUMPY2_NAME, "numpy", "removed in NumPy 2.4 (`trapezoid` needs NumPy >= 2.0)", {"trapz": "trapezoid"}),
    **_renames(NUMPY2_NAME, "numpy", "deprecated in NumPy 2.0, removed in 2.5", {"row_stack": "vstack"}),
    **_entry("numpy.NINF", Form.NEGATED, "numpy.inf", NUMPY2_NAME, "removed in NumPy 2.0"),
    **_entry("numpy.NZERO", Form.LITERAL, "-0.0", NUMPY2_NAME, "removed in NumPy 2.0"),
    **_entry("numpy.PZERO", Form.LITERAL, "0.0", NUMPY2_NAME, "removed in NumPy 2.0"),
    **_entry("numpy.asfarray", Form.CALL, "numpy.asarray", NUMPY2_NAME, "removed in NumPy 2.0", call="asfarray"),
    **_entry("numpy.msort", Form.CALL, "numpy.sort", NUMPY2_NAME, "removed in NumPy 2.0", call="msort"),
    **_entry("numpy.in1d", Form.CALL, "numpy.isin", NUMPY2_NAME, "removed in NumPy 2.4", call="in1d"),
    **_entry(
        "numpy.cast", Form.REPORT, "", NUMPY2_NAME, "removed in NumPy 2.0",
        hint="use `np.asarray(x, dtype=...)`",
    ),
    **_entry(
        "numpy.find_common_type", Form.REPORT, "", NUMPY2_NAME, "removed in NumPy 2.0",
        hint="use `np.result_type` or `np.promote_types`; they treat scalars differently, so check each call",
    ),
}

_ARRAY_TYPE_CAVEAT = (
    "`isinstance(x, jax.Array)` is also true for tracers inside `jax.jit`, where the old class was not"
)

JAX_APIS: dict[str, Mapping] = {
    **{
        old: Mapping(
            old, Form.RENAME, "jax.Array", JAX_API, history,
            unsafe_because=_ARRAY_TYPE_CAVEAT, safe_in_annotations=True,
        )
        for old, history in {
            "jax.numpy.DeviceArray": "removed in JAX 0.4.14",
            "jax.interpreters.xla.DeviceArray": "removed in JAX 0.4.11",
            "jax.interpreters.pxla.ShardedDeviceArray": "removed in JAX 0.4.14",
            "jax.random.KeyArray": "removed in JAX 0.4.24",
            "jax.random.PRNGKeyArray": "removed in JAX 0.4.24",
        }.items()
    },
    **_entry(
        "jax.clear_backends", Form.RENAME, "jax.clear_caches", JAX_API, "removed from JAX",
        unsafe_because="`jax.clear_caches` drops compiled functions but keeps the backends alive, "
        "which `clear_backends` also tore down",
    ),
    **_entry(
        "jax.linear_util", Form.RENAME, "jax.extend.linear_util", JAX_API, "removed in JAX 0.4.24",
        unsafe_because="`jax.extend.linear_util` is JAX-internal API whose functions have changed "
        "since (e.g. `wrap_init` now wants `debug_info`)",
        in_imports=True,
    ),
    **_entry("jax.config.config", Form.RENAME, "jax.config", JAX_API, "removed in JAX 0.4.25", in_imports=True),
    **_entry("jax.experimental.pjit.pjit", Form.CALL, "jax.jit", JAX_API, "deprecated in JAX 0.8.0", call="pjit"),
}

MANUAL = "no mechanical rewrite keeps its meaning"

JAX_API_REPORTS: dict[str, Mapping] = {
    **_entry(
        "jax.experimental.maps", Form.REPORT, "", JAX_API_MANUAL, "removed in JAX 0.4.31",
        hint="replace `xmap` with `jax.shard_map` or `jax.vmap(..., spmd_axis_name=...)`, and "
        "`maps.Mesh` with `jax.sharding.Mesh`",
    ),
    **_entry(
        "jax.experimental.host_callback", Form.REPORT, "", JAX_API_MANUAL, "removed in JAX 0.8.0",
        hint="use `jax.pure_callback` for pure host functions, `jax.experimental.io_callback` for "
        "side effects, `jax.debug.callback` / `jax.debug.print` for debugging",
    ),
    **_entry(
        "jax.pmap", Form.REPORT, "", JAX_API_MANUAL, "in maintenance mode since JAX 0.8.0",
        hint="use `jax.jit(jax.shard_map(f, mesh=jax.make_mesh((n,), ('i',)), in_specs=P('i'), "
        "out_specs=P('i')))`; `f` then sees blocks with the mapped axis kept, not per-device slices",
    ),
    **{
        old: Mapping(
            old, Form.REPORT, "", JAX_API_MANUAL, "removed in JAX 0.10.0",
            hint="use `jax.device_put(x, NamedSharding(mesh, P(...)))` with the sharding you mean",
        )
        for old in ("jax.device_put_sharded", "jax.device_put_replicated")
    },
    **_entry(
        "jax.xla_computation", Form.REPORT, "", JAX_API_MANUAL, "removed in JAX 0.4.34",
        hint="use `jax.jit(f).lower(*args).compiler_ir('hlo')` or `.as_text()`",
    ),
    **_entry(
        "jax.abstract_arrays", Form.REPORT, "", JAX_API_MANUAL, "removed in JAX 0.4.17",
        hint="use `jax.core.ShapedArray`",
    ),
}

JAX_ENABLE_X64_SINCE = (0, 8, 0)


def x64_mappings(target_jax: tuple[int, ...]) -> dict[str, Mapping]:
    """``jax.experimental.enable_x64()`` / ``disable_x64()`` -> ``jax.enable_x64(True / False)``.

    Code that must still run on JAX older than ``jax.enable_x64`` has no spelling that works on
    both its target and current JAX: reported instead (JX505).
    """
    table = {}
    for old, flag in (("jax.experimental.enable_x64", "True"), ("jax.experimental.disable_x64", "False")):
        if target_jax >= JAX_ENABLE_X64_SINCE:
            table[old] = Mapping(
                old, Form.CALL, "jax.enable_x64", JAX_API, "removed by JAX 0.10.2", call=old.rpartition(".")[2]
            )
        else:
            table[old] = Mapping(
                old, Form.REPORT, "", JAX_API_MANUAL, "removed by JAX 0.10.2",
                hint=f"use the context manager `jax.enable_x64({flag})` where JAX has it",
            )
    return table

KEYWORD_RENAMES: dict[str, dict[str, str]] = {
    f"jax.numpy.{function}": {"interpolation": "method"}
    for function in ("percentile", "quantile", "nanpercentile", "nanquantile")
}
"""Functions that still exist but lost an old keyword (JX504, JAX 0.8.0): old keyword -> current one."""

BY_POSITION: dict[str, tuple[str, ...]] = {"jax.numpy.clip": ("a", "a_min", "a_max")}
"""Functions whose old keywords were removed in JAX 0.10.0 (JX504): the old parameter names, in order.

They are passed by position instead, which every JAX version accepts, whatever ``--target-jax`` is
(``min=`` / ``max=`` exist only in newer versions)."""

KEYWORD_HISTORY = {
    **{function: "removed in JAX 0.8.0" for function in KEYWORD_RENAMES},
    **{function: "removed in JAX 0.10.0" for function in BY_POSITION},
}


def mappings(target_jax: tuple[int, ...]) -> dict[str, Mapping]:
    """Every mapping for code that must keep running on ``target_jax``."""
    return {
        **tree_mappings(target_jax), **JNP_ALIASES, **NUMPY2_NAMES, **JAX_APIS, **JAX_API_REPORTS,
        **x64_mappings(target_jax),
    }


def lookup_prefix(table: dict[str, Mapping], qualified_name: str) -> Mapping | None:
    """The mapping of ``qualified_name`` or of the module it lives in (for ``from M import x``)."""
    parts = qualified_name.split(".")
    for end in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


REMOVED_SUBMODULE_IMPORTS: dict[str, Mapping] = _entry(
    "jax.config", Form.RENAME, "jax", JAX_API,
    "the submodule was removed in JAX 0.4.29 (`jax.config` is an attribute of `jax`)",
)
"""``import jax.config`` -> ``import jax``: the statement only, since ``jax.config`` itself still works."""


def _trigger_pattern() -> re.Pattern[str]:
    """What any file with JX5xx work contains: the last part of an old name as an attribute
    (``np.product``, ``jax.config``) or, after a ``from numpy ... import`` / ``from jax ...
    import``, anywhere (the import may bind it bare); an old keyword argument; or ``.at[``
    (JX506). Lets the engine skip the metadata of files with nothing to do: a bare ``config``,
    ``cast`` or ``product`` of the user's own is no old API unless NumPy or JAX gave it."""
    tables = {**mappings((0, 0)), **mappings((99,)), **REMOVED_SUBMODULE_IMPORTS}
    names = {old.rpartition(".")[2] for old in tables}
    keywords = {keyword for renames in KEYWORD_RENAMES.values() for keyword in renames}
    keywords |= {keyword for old_names in BY_POSITION.values() for keyword in old_names}

    def alternatives(words: set[str]) -> str:
        return "|".join(sorted(re.escape(word) for word in words))

    keyword_argument = rf"[(,]\s*(?:{alternatives(keywords)})\s*=(?!=)"
    from_import = r"\bfrom\s+(?:numpy|jax)\b[\w.]*\s+import\b"
    return re.compile(rf"\.\s*(?:{alternatives(names)})\b|(?s:{from_import}.*\b(?:{alternatives(names)})\b)"
                      rf"|{keyword_argument}|\.at\[")


TRIGGER = _trigger_pattern()

"""The one comparison of an original result with a rewritten one (also behind tests/harness.assert_same).

Outputs are pytrees (tuples, lists, dicts, None, scalars, NumPy or JAX arrays). They match when
the structure is the same (a tuple and a list of the same length count as the same sequence), every
leaf has the same shape and the same dtype *kind* (bool, integer, float, complex: JAX under x64 and
NumPy agree on kinds, not always on widths), integers and bools are exactly equal, and floats are
close within a tolerance tied to the dtype, with NaN equal to NaN and infinities equal only to the
same infinity. With ``exact_bools`` (verify's equivalence), a Python ``bool`` matches only a Python
``bool``: callers test it with ``is True``, which a 0-d array fails.
"""

from __future__ import annotations

import dataclasses

import numpy as np

# (rtol, atol relative to the largest magnitude in the expected leaf). float64 is held to float64
# accuracy with room for a different summation order; float32 only when the user chose it.
FLOAT64_TOLERANCE = (1e-9, 1e-11)
FLOAT32_TOLERANCE = (1e-4, 1e-5)
FLOAT16_TOLERANCE = (1e-2, 1e-3)

_KINDS = {"b": "bool", "i": "integer", "u": "integer", "f": "float", "c": "complex"}


def tolerance_for(dtype: np.dtype, precision: str = "keep") -> tuple[float, float]:
    """The (rtol, scaled atol) a float leaf of the original's ``dtype`` is held to."""
    if precision == "float32" or dtype.itemsize <= 4 and dtype.kind in "fc":
        return FLOAT16_TOLERANCE if dtype.kind == "f" and dtype.itemsize <= 2 else FLOAT32_TOLERANCE
    return FLOAT64_TOLERANCE


@dataclasses.dataclass
class Comparison:
    equal: bool
    message: str = ""  # where and how the first mismatch shows, empty when equal
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0

    def merge(self, other: Comparison) -> None:
        self.max_abs_err = max(self.max_abs_err, other.max_abs_err)
        self.max_rel_err = max(self.max_rel_err, other.max_rel_err)
        if self.equal and not other.equal:
            self.equal, self.message = False, other.message


def compare(expected, actual, *, precision: str = "keep", rtol: float | None = None, atol: float | None = None,
            path: str = "result", exact_bools: bool = False) -> Comparison:
    """Compare two pytrees; ``rtol``/``atol`` override the dtype's tolerance (``atol`` then absolute)."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)):
            return Comparison(False, f"{path}: expected a sequence of {len(expected)}, got {_describe(actual)}")
        if len(expected) != len(actual):
            return Comparison(False, f"{path}: expected {len(expected)} items, got {len(actual)}")
        total = Comparison(True)
        for index, (e, a) in enumerate(zip(expected, actual)):
            total.merge(compare(e, a, precision=precision, rtol=rtol, atol=atol, path=f"{path}[{index}]",
                                 exact_bools=exact_bools))
        return total
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return Comparison(False, f"{path}: expected a dict with keys {sorted(map(str, expected))}, "
                                     f"got {_describe(actual)}")
        total = Comparison(True)
        for key in expected:
            total.merge(compare(expected[key], actual[key], precision=precision, rtol=rtol, atol=atol,
                                path=f"{path}[{key!r}]", exact_bools=exact_bools))
        return total
    if expected is None or actual is None:
        if expected is actual:
            return Comparison(True)
        return Comparison(False, f"{path}: expected {_describe(expected)}, got {_describe(actual)}")
    if exact_bools and type(expected) is bool and type(actual) is not bool:
        # a Python bool is an answer callers test with `is True` / `isinstance(r, bool)`, which a
        # 0-d array (NumPy's or JAX's) fails: a different result, not a different representation
        return Comparison(False, f"{path}: {_describe(actual)} instead of the Python bool {expected!r} "
                                 "(`r is True` and `isinstance(r, bool)` tell them apart)")
    return _compare_leaf(expected, actual, precision, rtol, atol, path)


def _compare_leaf(expected, actual, precision, rtol, atol, path) -> Comparison:
    try:
        e, a = np.asarray(expected), np.asarray(actual)
    except Exception as error:  # a JAX key or an object NumPy cannot hold
        return Comparison(False, f"{path}: cannot compare {_describe(expected)} with {_describe(actual)}: {error}")
    if e.shape != a.shape:
        return Comparison(False, f"{path}: shape {a.shape} instead of {e.shape}")
    e_kind, a_kind = _KINDS.get(e.dtype.kind), _KINDS.get(a.dtype.kind)
    if e_kind is None:  # object or string arrays: plain equality
        same = bool(np.all(e == a))
        return Comparison(same, "" if same else f"{path}: {a!r} instead of {e!r}")
    if e_kind != a_kind:
        return Comparison(False, f"{path}: dtype {a.dtype} ({a_kind}) instead of {e.dtype} ({e_kind})")
    if e.size == 0:
        return Comparison(True)
    if e_kind in ("bool", "integer"):
        wrong = e != a
        if not wrong.any():
            return Comparison(True)
        diff = np.abs(e.astype(np.float64) - a.astype(np.float64))
        return Comparison(False, _first_mismatch(path, e, a, wrong), float(diff.max()), float((diff / np.maximum(
            np.abs(e.astype(np.float64)), 1e-300)).max()))
    default_rtol, atol_scale = tolerance_for(e.dtype, precision)
    rtol = default_rtol if rtol is None else rtol
    finite_e = np.abs(e[np.isfinite(e)])
    scale = max(1.0, float(finite_e.max())) if finite_e.size else 1.0
    atol = atol_scale * scale if atol is None else atol
    e64, a64 = e.astype(np.complex128 if e_kind == "complex" else np.float64), a.astype(
        np.complex128 if e_kind == "complex" else np.float64)
    same_special = (np.isnan(e64) & np.isnan(a64)) | ((e64 == a64) & ~np.isfinite(e64))
    both_finite = np.isfinite(e64) & np.isfinite(a64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(both_finite, np.abs(e64 - a64), 0.0)
        rel = diff / np.maximum(np.abs(e64), np.finfo(np.float64).tiny)
    wrong = ~same_special & (~both_finite | (diff > atol + rtol * np.abs(e64)))
    max_abs = float(diff.max()) if not wrong.any() or both_finite[wrong].all() else float("inf")
    max_rel = float(rel.max()) if max_abs != float("inf") else float("inf")
    if not wrong.any():
        return Comparison(True, "", max_abs, max_rel)
    return Comparison(False, _first_mismatch(path, e, a, wrong) + f" (rtol {rtol:g}, atol {atol:g})",
                      max_abs, max_rel)


def _first_mismatch(path: str, e: np.ndarray, a: np.ndarray, wrong: np.ndarray) -> str:
    count = int(wrong.sum())
    if e.ndim == 0:
        return f"{path}: {a.item()!r} instead of {e.item()!r}"
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    return (f"{path}: {count} of {e.size} elements differ; first at {list(index)}: "
            f"{a[index].item()!r} instead of {e[index].item()!r}")


def _describe(value) -> str:
    if value is None:
        return "None"
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} of shape {tuple(shape)}"
    return type(value).__name__

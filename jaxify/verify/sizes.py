"""``verify --sizes``: time a verified function on its timing input grown to several sizes.

JAX pays a dispatch cost per call that NumPy does not, so small inputs are often slower under
JAX and large ones faster; the size where the lines cross is what a user needs to know. The
timing input is grown by tiling: every axis of every array argument whose length is the first
array's leading length becomes ``size`` long (so a vector and a square matrix of that length grow
together). Only time is measured at the new sizes (equivalence was checked on the real inputs).
Each size has a time budget; the sweep stops at the first size that fails or runs over it.
"""

from __future__ import annotations

import contextlib
import signal

import numpy as np

from jaxify.verify.timing import copier, time_calls

SECONDS_PER_SIZE = 5.0


def grow(value, base: int, size: int):
    """``value`` with every array axis of length ``base`` tiled or cut to ``size``; the rest as is."""
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        for axis, length in enumerate(value.shape):
            if length == base:
                value = np.take(value, np.arange(size) % base, axis=axis)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(grow(item, base, size) for item in value)
    if isinstance(value, dict):
        return {key: grow(item, base, size) for key, item in value.items()}
    return value


def leading_length(args: tuple, kwargs: dict) -> int | None:
    for value in [*args, *kwargs.values()]:
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] > 0:
            return value.shape[0]
    return None


def time_at_sizes(original, jitted, args: tuple, kwargs: dict, extra: dict, sizes) -> list[dict]:
    """One row per size: original and jitted median ms and the speedup, or why the sweep stopped.

    ``extra`` holds what only the rewrite takes (a PRNG key); the jitted call gets its arrays on the
    device, as in the main timing.
    """
    base = leading_length(args, kwargs)
    if base is None:
        return [{"size": None, "error": "no array argument to grow"}]
    rows = []
    for size in sorted(set(sizes)):
        grown_args, grown_kwargs = grow(args, base, size), grow(kwargs, base, size)
        try:
            with time_limit(SECONDS_PER_SIZE):
                original_ms, _ = time_calls(lambda a, k: original(*a, **k), copier(grown_args, grown_kwargs))
                device_args = _on_device((grown_args, {**grown_kwargs, **extra}))
                jitted_ms, _ = time_calls(lambda a, k: jitted(*a, **k), lambda: device_args)
        except Exception as error:  # includes running over the budget: larger sizes would too
            rows.append({"size": size, "error": f"{type(error).__name__}: {error}"[:200]})
            break
        rows.append({"size": size, "original_ms": original_ms, "jitted_ms": jitted_ms,
                     "speedup": original_ms / max(jitted_ms, 1e-9)})
    return rows


def _on_device(tree):
    import jax

    return jax.tree_util.tree_map(lambda v: jax.device_put(v) if isinstance(v, np.ndarray) else v, tree)


def crossover(rows: list[dict]) -> int | None:
    """The smallest size from which the jitted rewrite stays at least as fast as the original."""
    timed = [row for row in rows if row.get("speedup")]
    for index, row in enumerate(timed):
        if all(later["speedup"] >= 1 for later in timed[index:]):
            return row["size"]
    return None


class SizeBudgetExceeded(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, exceeded: type[Exception] = SizeBudgetExceeded):
    """Interrupt Python-level code (the original's loops) after ``seconds`` by raising
    ``exceeded``; main thread only (elsewhere, or without SIGALRM, no limit)."""
    def expire(signum, frame):
        raise exceeded(f"over the {seconds:g} s budget")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM on this platform
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""Timing both versions in one process: warm-up, compile time apart, block_until_ready, median."""

from __future__ import annotations

import copy
import statistics
import time

TARGET_SECONDS = 0.2  # per version; enough repeats for a stable median without a slow run
MIN_REPEATS, MAX_REPEATS = 5, 200


def _block(value):
    import jax

    return jax.block_until_ready(value)


def time_calls(call, fresh_args) -> tuple[float, float]:
    """Median and spread (interquartile range) in milliseconds of ``call(*fresh_args())``."""
    args = fresh_args()
    start = time.perf_counter()
    _block(call(*args))  # warm-up, also sizes the number of repeats
    once = time.perf_counter() - start
    repeats = int(min(MAX_REPEATS, max(MIN_REPEATS, TARGET_SECONDS / max(once, 1e-6))))
    samples = []
    for _ in range(repeats):
        args = fresh_args()  # copies are made outside the timed region: the original may mutate them
        start = time.perf_counter()
        _block(call(*args))
        samples.append((time.perf_counter() - start) * 1e3)
    quartiles = statistics.quantiles(samples, n=4) if len(samples) > 1 else [samples[0]] * 3
    return statistics.median(samples), quartiles[2] - quartiles[0]


def compile_ms(jitted, args: tuple, kwargs: dict) -> float:
    """Ahead-of-time lowering plus compilation, in milliseconds (caches cleared: a real first compile)."""
    import jax

    jax.clear_caches()
    start = time.perf_counter()
    jitted.lower(*args, **kwargs).compile()
    return (time.perf_counter() - start) * 1e3


def copier(args: tuple, kwargs: dict):
    return lambda: (copy.deepcopy(args), copy.deepcopy(kwargs))

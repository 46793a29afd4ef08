"""Comparing random functions by distribution: a two-sample Kolmogorov-Smirnov test per output.

The numbers JAX draws never match NumPy's, so a random function and its rewrite are each run over
many seeds (``np.random.seed(s)`` for the original, ``jax.random.key(s)`` for the rewrite); each
output leaf is compared element by element (a few elements) and through per-run summaries. NumPy only, so scipy is not needed
at run time; the p-value is the usual asymptotic one (Numerical Recipes' ``probks``).
"""

from __future__ import annotations

import math

import numpy as np

ALPHA = 1e-3  # before a Bonferroni correction over the tests made


def ks_2samp(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """The two-sample KS statistic and its asymptotic p-value."""
    a, b = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    values = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, values, side="right") / a.size
    cdf_b = np.searchsorted(b, values, side="right") / b.size
    statistic = float(np.max(np.abs(cdf_a - cdf_b)))
    effective = math.sqrt(a.size * b.size / (a.size + b.size))
    lam = (effective + 0.12 + 0.11 / effective) * statistic
    if lam < 1e-3:
        return statistic, 1.0
    terms = [2 * (-1) ** (j - 1) * math.exp(-2 * (j * lam) ** 2) for j in range(1, 101)]
    return statistic, float(min(max(sum(terms), 0.0), 1.0))


ELEMENTS_TESTED = 8


def same_distribution(original_runs: list[list[np.ndarray]], rewritten_runs: list[list[np.ndarray]]):
    """``(same, worst p-value, message)`` over leaves given as ``runs[run][leaf]``.

    Only samples that are independent are pooled into one test: one element across runs (for a few
    elements spread over the leaf), and per-run summaries (mean, spread). Values from the same run
    are correlated (a random walk's positions), so pooling them would make the test far too strict.
    """
    tests = []
    for leaf in range(len(original_runs[0])):
        a = np.stack([np.asarray(run[leaf], dtype=np.float64).ravel() for run in original_runs])
        b = np.stack([np.asarray(run[leaf], dtype=np.float64).ravel() for run in rewritten_runs])
        for index in np.unique(np.linspace(0, a.shape[1] - 1, min(ELEMENTS_TESTED, a.shape[1])).astype(int)):
            tests.append((f"output leaf {leaf}, element {index}", a[:, index], b[:, index]))
        if a.shape[1] > 1:
            tests.append((f"output leaf {leaf}, per-run mean", a.mean(axis=1), b.mean(axis=1)))
            tests.append((f"output leaf {leaf}, per-run spread", a.std(axis=1), b.std(axis=1)))
    worst, worst_name = 1.0, ""
    for name, a, b in tests:
        if np.all(a == a[0]) and np.all(b == b[0]):
            p = 1.0 if a[0] == b[0] else 0.0
        else:
            _, p = ks_2samp(a, b)
        if p < worst:
            worst, worst_name = p, name
    same = worst >= ALPHA / max(len(tests), 1)
    message = "" if same else f"distributions differ ({worst_name}: two-sample KS p = {worst:.2g})"
    return same, worst, message

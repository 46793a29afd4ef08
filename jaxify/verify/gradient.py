"""Gradient checks of a rewrite that computes the right values.

The summed float outputs of the rewrite are differentiated in reverse mode with respect to its
float array arguments (static ones excluded), at a slightly moved copy of the input: real and
generated inputs often sit exactly on a kink (zeros under ``abs``, ties under ``max``), where a
gradient is a matter of convention. Two findings can come out:

- a NaN or inf gradient where the value is finite: typically ``jnp.where`` evaluating a branch it
  does not take (``where(x > 0, sqrt(x), 0)`` at ``x < 0``);
- a gradient that disagrees with a central finite difference of the *original* along a random
  direction: the rewrite blocks or changes derivatives (``stop_gradient``, a detour through NumPy
  or integers).

A function that is not reverse-differentiable (``while_loop``, integer outputs) gets no finding.
"""

from __future__ import annotations

import numpy as np

from jaxify.verify.contract import call_original

JITTER = 1e-3  # relative move off kinks
STEP = 1e-7  # relative finite-difference step: far below the jitter, far above float64 rounding
ROUNDING = 1e-12  # relative rounding error allowed in each evaluation of the original


def gradient_findings(rewritten, original, args: tuple, kwargs: dict, dynamic: list[int],
                      names: list[str]) -> list[dict]:
    """Findings (``kind``, ``message``, ``hint``) for the float arguments at positions ``dynamic``."""
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(1)
    args = list(args)
    for index in dynamic:
        args[index] = args[index] + JITTER * (1.0 + np.abs(args[index])) * rng.uniform(-1, 1, args[index].shape)
    args = tuple(args)

    def total(*floats):
        full = list(args)
        for index, value in zip(dynamic, floats):
            full[index] = value
        leaves = jax.tree_util.tree_leaves(rewritten(*full, **kwargs))
        sums = [jnp.sum(leaf) for leaf in leaves if jnp.issubdtype(jnp.result_type(leaf), jnp.floating)]
        return sum(sums) if sums else jnp.float64(0.0)

    try:
        value, grads = jax.jit(jax.value_and_grad(total, argnums=tuple(range(len(dynamic)))))(
            *[jnp.asarray(args[i]) for i in dynamic])
    except Exception:
        return []
    if not np.isfinite(np.asarray(value)):
        return []
    bad = [names[dynamic[k]] for k, g in enumerate(grads) if not np.all(np.isfinite(np.asarray(g)))]
    if bad:
        return [{
            "kind": "gradient",
            "message": f"the gradient with respect to {', '.join(f'`{b}`' for b in bad)} is NaN or inf "
                       f"where the value is finite (often jnp.where evaluating a branch that is not taken)",
            "hint": "use the double-where form: f(jnp.where(ok, x, safe_value)) inside jnp.where(ok, ..., ...)"}]
    return _finite_difference_findings(original, args, kwargs, dynamic, names, grads)


def _finite_difference_findings(original, args, kwargs, dynamic, names, grads) -> list[dict]:
    rng = np.random.default_rng(0)
    directions = [rng.standard_normal(np.shape(args[i])) * (1.0 + np.abs(args[i])) for i in dynamic]
    slope = sum(float(np.sum(np.asarray(g) * d)) for g, d in zip(grads, directions))

    def original_total(sign: float) -> tuple[float, float]:
        """The summed float outputs, and the sum of their magnitudes (what rounding scales with)."""
        shifted = list(args)
        for index, direction in zip(dynamic, directions):
            shifted[index] = args[index] + sign * STEP * direction
        out = call_original(original, tuple(shifted), kwargs, names).expected()
        leaves = [leaf for leaf in map(np.asarray, _flatten(out)) if leaf.dtype.kind == "f"]
        return sum(float(np.sum(leaf)) for leaf in leaves), sum(float(np.sum(np.abs(leaf))) for leaf in leaves)

    try:
        (high, magnitude), (low, _) = original_total(1.0), original_total(-1.0)
    except Exception:
        return []
    numeric = (high - low) / (2 * STEP)
    rounding = ROUNDING * (1.0 + magnitude) / STEP  # outputs that cancel (z-scores sum to 0) still round
    if not np.isfinite(numeric) or abs(slope - numeric) <= 1e-3 * (abs(slope) + abs(numeric)) + rounding:
        return []
    return [{
        "kind": "gradient",
        "message": f"the rewrite's gradient disagrees with the original's: along a random direction its slope "
                   f"is {slope:.6g}, finite differences of the original give {numeric:.6g}",
        "hint": "look for stop_gradient, a detour through NumPy or integers, or a branch chosen differently "
                "near this input"}]


def _flatten(tree):
    import jax

    return jax.tree_util.tree_leaves(tree)

# jaxify: skip-file
"""Example inputs for corpus/programs/api_jnp_legacy_ops.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(41)
    x = rng.normal(size=20)
    mask = x > -0.5
    hazard = rng.uniform(0.0, 0.3, size=15)
    return {
        "masked_logsumexp": [(x, mask)],
        "robust_zscore": [(x,), (np.concatenate([x, [25.0, -40.0]]),)],
        "survival": [(hazard,)],
        "joint_probability": [(hazard,)],
        "rounded_ratio": [(x, np.full(20, 0.7)), (-x, np.full(20, 3.0))],
        "any_nan": [(x,), (np.array([1.0, np.nan]),)],
    }

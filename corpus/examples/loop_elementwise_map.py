# jaxify: skip-file
"""Example inputs for corpus/programs/loop_elementwise_map.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(11)
    return {
        "squash": [(rng.normal(size=20000), 1.7), (np.array([-800.0, 0.0, 800.0]), 1.0)],
        "softplus_rows": [(rng.normal(size=(2000, 16)) * 5.0,)],
    }


def jaxify_benchmark_examples():
    # 10^5 activations; a batch of 20,000 samples by 32 features
    rng = np.random.default_rng(12)
    return {"squash": [(rng.normal(size=100000), 1.7)], "softplus_rows": [(rng.normal(size=(20000, 32)) * 5.0,)]}

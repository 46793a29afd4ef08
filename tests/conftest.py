import gc
import os

# Legacy NumPy computes in float64; comparisons against it need JAX's x64 mode. Set before any
# test imports jax, so every test sees the same configuration whatever the order they run in.
os.environ.setdefault("JAX_ENABLE_X64", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from hypothesis import settings

from jaxify.runner import GC_THRESHOLDS

# Deterministic in CI and locally: a flaky CI blocks every landing.
settings.register_profile("jaxify", derandomize=True, deadline=None, max_examples=50, print_blob=True)
settings.load_profile("jaxify")

# The suite rewrites thousands of modules in this process; with CPython's default thresholds the
# garbage collector's full passes over every live LibCST tree cost a quarter of that CPU. The
# same thresholds as jaxify's workers (runner._collect_garbage_less_often).
gc.set_threshold(*GC_THRESHOLDS)

import os

# Legacy NumPy computes in float64; comparisons against it need JAX's x64 mode. Set before any
# test imports jax, so every test sees the same configuration whatever the order they run in.
os.environ.setdefault("JAX_ENABLE_X64", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from hypothesis import settings

# Deterministic in CI and locally: a flaky CI blocks every landing.
settings.register_profile("jaxify", derandomize=True, deadline=None, max_examples=50, print_blob=True)
settings.load_profile("jaxify")

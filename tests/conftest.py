import os

# Legacy NumPy computes in float64; comparisons against it need JAX's x64 mode. Set before any
# test imports jax, so every test sees the same configuration whatever the order they run in.
os.environ.setdefault("JAX_ENABLE_X64", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

"""jaxify: rewrite legacy NumPy / imperative scientific Python into idiomatic JAX."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jaxify-refactor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

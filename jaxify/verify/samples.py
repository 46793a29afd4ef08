"""Inputs to call functions with: declared examples, captured calls, and printing one back as code.

Examples come from a ``jaxify_examples()`` function (in the module itself or a sidecar file) that
returns ``{function_name: [args, ...]}``; each ``args`` is a tuple of positional arguments, or a
dict of keyword arguments. A sidecar may also define ``STATIC_ARGNAMES = {function_name: (...)}``.
"""

from __future__ import annotations

import importlib.util
import pickle
import sys
import types
from pathlib import Path

import numpy as np

EXAMPLES_FUNCTION = "jaxify_examples"


def import_file(path: str | Path, module_name: str, package: str | None = None) -> types.ModuleType:
    """Import a file under a chosen module name (registered, so pickling and dataclasses work).

    With ``package`` (the dotted name of the package the user's file is in), its relative imports
    (``from . import x``) import from that package."""
    spec = importlib.util.spec_from_file_location(module_name, str(path))
    module = importlib.util.module_from_spec(spec)
    if package:
        module.__package__ = package
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def declared_examples(*modules: types.ModuleType | None) -> tuple[dict[str, list], dict[str, tuple[str, ...]]]:
    """Examples and static argnames from the first of ``modules`` that declares them."""
    examples: dict[str, list] = {}
    statics: dict[str, tuple[str, ...]] = {}
    for module in modules:
        if module is None:
            continue
        make = getattr(module, EXAMPLES_FUNCTION, None)
        if callable(make) and not examples:
            examples = {name: [as_call(args) for args in cases] for name, cases in make().items()}
        declared = getattr(module, "STATIC_ARGNAMES", None)
        if isinstance(declared, dict) and not statics:
            statics = {name: tuple(names) for name, names in declared.items()}
    return examples, statics


def captured_calls(path: str | None) -> dict[str, list]:
    """Calls recorded by ``--capture`` (see capture.py): ``{function_name: [(args, kwargs), ...]}``."""
    if not path or not Path(path).exists():
        return {}
    with open(path, "rb") as handle:
        return pickle.load(handle)


def as_call(args) -> tuple[tuple, dict]:
    if isinstance(args, dict):
        return (), dict(args)
    return (tuple(args) if isinstance(args, (tuple, list)) else (args,)), {}


def as_code(value) -> str:
    """Python source that rebuilds ``value`` (NumPy arrays as ``np.array(..., dtype=...)``)."""
    if isinstance(value, np.ndarray) or type(value).__module__.startswith(("jax", "jaxlib")):
        array = np.asarray(value)
        return f"np.array({array.tolist()!r}, dtype=np.{array.dtype})"
    if isinstance(value, np.generic):
        return f"np.{value.dtype}({value.item()!r})"
    if isinstance(value, tuple):
        inner = ", ".join(as_code(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(as_code(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {as_code(item)}" for key, item in value.items()) + "}"
    return repr(value)


def example_snippet(function: str, args: tuple, kwargs: dict) -> str:
    """A ready-to-paste ``jaxify_examples`` entry reproducing one call."""
    call = as_code(kwargs) if kwargs else as_code(tuple(args))
    return f"def jaxify_examples():\n    return {{{function!r}: [{call}]}}"

"""What the installed JAX offers, read once per installed version and kept on disk.

The NumPy planner asks which functions ``jax.numpy`` has, which parameters they take, and which
NumPy array attributes a jax array lacks. Importing JAX to answer costs about a second of every
run (more than the whole rewrite of a small file), so the answers are collected once, when no
file holds them for the installed versions, and written to ``jaxify/jax-facts-<key>.json`` in
the user's cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``), as pip and ruff keep theirs.
The key covers JAX, jaxlib, NumPy, Python and jaxify's own code, so any upgrade or edit collects
them again; a file that cannot be read, or does not hold what it should, is ignored and replaced;
a folder that cannot be written only costs the next run the import.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import os
import sys
import types
import warnings
from pathlib import Path

import numpy

from jaxify.cache import code_fingerprint, installed_version, write_json_atomically

FORMAT = 1
_KINDS = frozenset(kind.name for kind in (
    inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_POSITIONAL,
    inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD))
# What a jax.numpy function takes: (name, kind) per parameter, kind an inspect.Parameter kind's
# name; None where inspect cannot read a signature.
Parameters = tuple[tuple[str, str], ...] | None


@dataclasses.dataclass(frozen=True)
class JaxFacts:
    functions: dict[str, Parameters]  # "sum", "linalg.norm": every callable jax.numpy offers
    missing_attributes: frozenset[str]  # public attributes of numpy.ndarray that jax.Array lacks


@functools.lru_cache(maxsize=1)
def jax_facts() -> JaxFacts:
    """The facts of the installed JAX: from the user's cache folder, else collected (and kept)."""
    path = _facts_file()
    found = _read(path) if path is not None else None
    if found is None:
        found = collect()
        if path is not None:
            _write(path, found)
    return found


def collect() -> JaxFacts:
    """The facts, read off the installed JAX itself (imports it)."""
    import jax
    import jax.numpy

    functions: dict[str, Parameters] = {}
    _record(functions, "", jax.numpy, numpy)
    missing = {name for name in dir(numpy.ndarray) if not name.startswith("_") and not hasattr(jax.Array, name)}
    # jax.Array defines `flat` only to raise NotImplementedError
    return JaxFacts(functions, frozenset(missing | {"flat"}))


def _record(functions: dict[str, Parameters], prefix: str, namespace, numpy_namespace) -> None:
    """Every callable of ``namespace``, and of its submodules that are NumPy submodules too (a
    member such as ``linalg.norm`` is reached through modules only)."""
    for name in dir(namespace):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # deprecated names warn when read
                value = getattr(namespace, name)
        except Exception:  # AttributeError, NotImplementedError: a name jax lists but does not offer
            continue
        if isinstance(value, types.ModuleType):
            inner = getattr(numpy_namespace, name, None)
            if isinstance(inner, types.ModuleType):
                _record(functions, f"{prefix}{name}.", value, inner)
        elif callable(value):
            functions[prefix + name] = _parameters(value)


def _parameters(function) -> Parameters:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    return tuple((parameter.name, parameter.kind.name) for parameter in signature.parameters.values())


def _facts_file() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = Path.home() / ".cache"
        except RuntimeError:  # no home folder to be found
            return None
    key = json.dumps([FORMAT, installed_version("jax"), installed_version("jaxlib"), numpy.__version__, sys.version,
                      code_fingerprint()])
    return Path(base) / "jaxify" / f"jax-facts-{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"


def _read(path: Path) -> JaxFacts | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        functions = {
            member: None if parameters is None else tuple((str(name), str(kind)) for name, kind in parameters)
            for member, parameters in document["functions"].items()
        }
        missing = frozenset(str(name) for name in document["missing_attributes"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if "sum" not in functions or any(kind not in _KINDS for parameters in functions.values() if parameters
                                     for _, kind in parameters):
        return None  # not what collect() writes
    return JaxFacts(functions, missing)


def _write(path: Path, facts: JaxFacts) -> None:
    document = {"functions": facts.functions, "missing_attributes": sorted(facts.missing_attributes)}
    try:
        write_json_atomically(path, document)
        for stale in path.parent.glob("jax-facts-*.json"):  # other versions' facts: not read again
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass

"""A content-addressed cache of file results, so that a rerun on an unchanged tree rewrites nothing.

Like ``.ruff_cache``, the cache lives in ``.jaxify_cache/`` at the project root (the folder of the
nearest ``pyproject.toml``, else the current folder); ``--cache-dir`` moves it and ``--no-cache``
switches it off. An entry is found by a key that hashes everything a result depends on:

- the file's bytes and the path it is reported under (findings name the path);
- every option that changes a rewrite (rule selection, ``--unsafe``, precision, target JAX, ...);
- jaxify's own code (its version, and a hash of its source files, so an edited checkout never
  reads results of the code it replaced), and the installed LibCST, JAX and NumPy versions and
  Python version.

An entry repeats its key inside; an entry that cannot be read, does not decode, or names another
key is ignored (and rewritten by the run), never trusted. Entries are written to a temporary
file and renamed into place, so concurrent runs never see half an entry. Only results of files
that were processed without an engine failure are stored: a failure is always retried.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jaxify import __version__
from jaxify.findings import Finding, Status

DEFAULT_FOLDER = ".jaxify_cache"
FORMAT = 1  # bump when the layout of an entry changes
OPTIONS_OUTSIDE_THE_KEY = frozenset({"exclude"})  # decides which files run, not what a file becomes


def default_cache_dir(start: Path) -> Path:
    """``.jaxify_cache`` in the folder of the nearest ``pyproject.toml`` above ``start``, else in ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / "pyproject.toml").is_file():
            return folder / DEFAULT_FOLDER
    return start / DEFAULT_FOLDER


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or "absent"."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of jaxify's source files: an edited checkout must not read its old results."""
    # found without importing them: importing the codemods costs a run that reads every result
    # from the cache more than the whole read
    roots = {Path(folder) for name in ("jaxify", "jaxify.codemods")
             for folder in importlib.util.find_spec(name).submodule_search_locations}
    digest = hashlib.sha256()
    for root in sorted(roots):
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def environment() -> dict[str, str]:
    """What, besides the file and the options, decides a result."""
    return {
        "format": str(FORMAT),
        "jaxify": __version__,
        "jaxify_code": code_fingerprint(),
        "python": sys.version.split()[0],
        "libcst": installed_version("libcst"),
        "jax": installed_version("jax"),
        "numpy": installed_version("numpy"),
    }


def write_json_atomically(path: Path, document) -> None:
    """``document`` as JSON in ``path``, through a temporary file renamed over it: a reader (another
    run) sees the old file or the new one, never half of one. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def options_fingerprint(options) -> dict:
    fields = dataclasses.asdict(options)
    return {name: value for name, value in fields.items() if name not in OPTIONS_OUTSIDE_THE_KEY}


@dataclasses.dataclass(frozen=True)
class CachedResult:
    rewritten: str | None
    findings: list[Finding]


@dataclasses.dataclass(frozen=True)
class ResultCache:
    """The cache of one run: its folder and the hash of everything but the file itself."""

    folder: Path
    context: str  # hex digest of the environment

    @classmethod
    def open(cls, folder: Path) -> ResultCache:
        context = json.dumps(environment(), sort_keys=True)
        return cls(Path(folder), hashlib.sha256(context.encode()).hexdigest())

    def key(self, path: str, data: bytes, options) -> str:
        """The key of ``data`` read from ``path`` and rewritten with ``options`` (each file has its own:
        configuration is per folder)."""
        digest = hashlib.sha256(self.context.encode())
        digest.update(json.dumps(options_fingerprint(options), sort_keys=True, default=list).encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / "entries" / key[:2] / key

    def get(self, key: str) -> CachedResult | None:
        """The stored result for ``key``, or None when there is none or it cannot be trusted."""
        try:
            document = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if document["key"] != key:
                return None
            findings = [
                Finding(**{**finding, "status": Status(finding["status"])}) for finding in document["findings"]
            ]
            rewritten = document["rewritten"]
            if rewritten is not None and not isinstance(rewritten, str):
                return None
            return CachedResult(rewritten, findings)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, rewritten: str | None, findings: list[Finding]) -> None:
        """Store a result; a cache that cannot be written only costs the next run its speed."""
        document = {"key": key, "rewritten": rewritten, "findings": [finding.to_json() for finding in findings]}
        try:
            self._prepare()
            write_json_atomically(self._entry(key), document)
        except OSError:
            pass

    def _prepare(self) -> None:
        """Mark the folder as a cache, as ruff and pytest do: ignored by git and by backups."""
        marker = self.folder / ".gitignore"
        if marker.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache written by jaxify.\n"
        )
        marker.write_text("# Written by jaxify: the whole folder is a cache.\n*\n")

"""Reading and writing source files without losing encoding, BOM, newline style or file mode."""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import tokenize
from pathlib import Path


class UnreadableSource(Exception):
    """The file could not be read or decoded; the message says why."""


@dataclasses.dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # "utf-8-sig" when the file starts with a BOM, so encoding writes it back

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def decode(data: bytes) -> SourceText:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown coding cookie
        raise UnreadableSource(str(error)) from error
    try:
        # Decoding bytes directly (not through a text-mode file) keeps \r\n and \r as they are.
        return SourceText(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableSource(f"cannot decode as {encoding}: {error}") from error


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableSource(f"cannot read: {error.strerror or error}") from error
    return decode(data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and rename it over the original.

    A crash at any point leaves either the old file or the new one, never a half-written one;
    the original file's permission bits are kept.
    """
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".jaxify")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

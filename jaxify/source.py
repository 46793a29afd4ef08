"""Reading and writing source files without losing encoding, BOM, newline style or file mode."""

from __future__ import annotations

import codecs
import dataclasses
import errno
import io
import os
import stat
import tempfile
import tokenize
from pathlib import Path

# Longest first: UTF-32-LE's BOM starts with UTF-16-LE's.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
              stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder"}


class UnreadableSource(Exception):
    """The file could not be read or decoded; the message says why."""


class FileChanged(Exception):
    """The file on disk is no longer what was read: someone edited it while jaxify was working."""


@dataclasses.dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # "utf-8-sig" when the file starts with a BOM, so encoding writes it back
    bom: bytes = b""  # a UTF-16/32 byte-order mark, written back before the text

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def wide_bom(data: bytes) -> tuple[bytes, str] | None:
    return next(((bom, encoding) for bom, encoding in WIDE_BOMS if data.startswith(bom)), None)


def decode(data: bytes) -> SourceText:
    wide = wide_bom(data)
    if wide is not None:
        bom, encoding = wide
        try:
            return SourceText(data[len(bom):].decode(encoding), encoding, bom)
        except UnicodeDecodeError as error:
            raise UnreadableSource(f"cannot decode as {encoding}: {error}") from error
    if b"\x00" in data:  # CPython refuses such a file too
        raise UnreadableSource("the file contains NUL bytes (UTF-16 or UTF-32 without a byte-order mark?); "
                               "Python source must be UTF-8 or declare its encoding")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown coding cookie
        raise UnreadableSource(str(error)) from error
    try:
        # Decoding bytes directly (not through a text-mode file) keeps \r\n and \r as they are.
        return SourceText(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableSource(f"cannot decode as {encoding}: {error}") from error


def read_regular_file(path: Path) -> bytes:
    """The file's bytes; a FIFO, socket or device is refused without blocking on it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise UnreadableSource(_why_unreadable(error)) from error
    kind = stat.S_IFMT(os.fstat(descriptor).st_mode)
    if kind != stat.S_IFREG:
        os.close(descriptor)
        raise UnreadableSource(f"not a regular file ({FILE_KINDS.get(kind, 'a special file')}); skipped")
    with os.fdopen(descriptor, "rb") as stream:
        try:
            return stream.read()
        except OSError as error:
            raise UnreadableSource(_why_unreadable(error)) from error


def _why_unreadable(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link loop (the link points back to itself); skipped"
    return f"cannot read file: {error.strerror or error}"


def is_read_only(path: Path) -> bool:
    """No write bit at all counts as read-only even for root, who may write anything."""
    return not (os.stat(path).st_mode & 0o222) or not os.access(path, os.W_OK)


def write_atomically(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Write through a temporary file in the same folder and rename it over the original.

    A crash or a signal at any point leaves either the old file or the new one, never a
    half-written one or a temporary file; the original file's permission bits are kept. With
    ``expected`` (the bytes that were read), a file edited since is left as it is (FileChanged).
    """
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".jaxify")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if expected is not None and path.read_bytes() != expected:
            raise FileChanged("the file changed since jaxify read it; left as it is now (run jaxify again)")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

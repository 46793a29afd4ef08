"""``--shard K/N``: the share of the files that job K of an N-job CI matrix processes.

A file belongs to shard ``hash(path) mod N``, the hash taken over the path relative to the
folder jaxify runs in (a CI checkout lands in a different absolute folder on every runner, and
the shards of one matrix must agree). The split depends only on the path, so a file stays in its
shard when others are added or removed, and every file is in exactly one shard. Shards are
numbered from 1, as GitHub Actions' matrix values usually are: ``--shard 1/4`` ... ``--shard 4/4``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


class ShardError(ValueError):
    pass


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> ``(2, 5)``; raises ShardError for anything that is not 1 <= K <= N."""
    index, slash, count = text.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        raise ShardError(f"expected K/N, such as 1/4, not {text!r}") from None
    if not slash or n < 1 or not 1 <= k <= n:
        raise ShardError(f"expected K/N with 1 <= K <= N, not {text!r}")
    return k, n


def shard_of(path: Path, count: int, root: Path | None = None) -> int:
    """The shard (1-based) of ``path`` among ``count`` shards."""
    root = Path.cwd() if root is None else root
    absolute = Path(os.path.abspath(path))
    try:
        name = absolute.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        name = absolute.as_posix()
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(paths: Iterable[Path], shard: tuple[int, int], root: Path | None = None) -> list[Path]:
    index, count = shard
    return [path for path in paths if shard_of(path, count, root) == index]

"""Content identity of a file: sha256 of its bytes, streamed, plus size and mtime."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from workers.protocol import FileDigest
from workers.safe_files import open_inside

__all__ = ["CHUNK_SIZE", "digest_file"]

CHUNK_SIZE = 1 << 20  # 1 MiB: large enough that the hash, not Python, dominates


def digest_file(path: str, roots: Sequence[str] | None = None) -> FileDigest:
    """Hash ``path`` without loading it whole; size and mtime come from the open file.

    ``roots``: the library's folders; a file that is (or resolves through) a link leading
    out of them raises ``OutsideLibrary`` (default: the file's own folder).
    """
    digest = hashlib.sha256()
    with os.fdopen(open_inside(roots or [os.path.dirname(path)], path), "rb") as f:
        # fstat on the open descriptor so size/mtime describe the bytes we hash,
        # even if the path is replaced meanwhile.
        stat = os.fstat(f.fileno())
        buffer = bytearray(CHUNK_SIZE)
        view = memoryview(buffer)
        while n := f.readinto(buffer):
            digest.update(view[:n])
    return FileDigest(
        path=path, size=stat.st_size, mtime_ns=stat.st_mtime_ns, content_hash=digest.hexdigest()
    )

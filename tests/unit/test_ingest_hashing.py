"""digest_file: the sha256 of the bytes (streamed in chunks), size and mtime of the file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workers.ingest.hashing import CHUNK_SIZE, digest_file


def test_digest_matches_hashlib_and_stat_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = os.urandom(CHUNK_SIZE * 2 + 12345)  # several chunks and a partial one
    path.write_bytes(data)
    os.utime(path, ns=(1_600_000_000_123_456_789, 1_600_000_000_123_456_789))

    digest = digest_file(str(path))

    assert digest.content_hash == hashlib.sha256(data).hexdigest()
    assert digest.size == len(data)
    assert digest.mtime_ns == 1_600_000_000_123_456_789
    assert digest.path == str(path)


def test_one_changed_byte_changes_the_hash(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"x" * CHUNK_SIZE + b"1")
    b.write_bytes(b"x" * CHUNK_SIZE + b"2")
    assert digest_file(str(a)).content_hash != digest_file(str(b)).content_hash


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert digest_file(str(path)).content_hash == hashlib.sha256(b"").hexdigest()

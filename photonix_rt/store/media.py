"""Media kinds of photos and roles of their files (migration 013): RAW, video, motion clips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["FILE_ROLES", "MEDIA_TYPES", "ShotFile", "delete_missing_files", "duration_of",
           "lock_shot", "lone_companion",
           "photo_metadata", "photo_of_path", "set_file_role", "set_media", "shot_files",
           "thumbnail_key_in_use", "thumbnail_key_of"]

FILE_ROLES = ("original", "raw", "motion")
MEDIA_TYPES = ("photo", "video")


async def set_file_role(db: Queryable, file_id: UUID, role: str) -> None:
    await db.execute("UPDATE photo_files SET role = $2 WHERE id = $1", file_id, role)


async def set_media(db: Queryable, photo_id: UUID, media_type: str,
                    duration_ms: int | None) -> None:
    await db.execute("UPDATE photos SET media_type = $2, duration_ms = $3 WHERE id = $1",
                     photo_id, media_type, duration_ms)


async def photo_of_path(db: Queryable, library_id: UUID, path: str) -> UUID | None:
    """The photo of the readable file at ``path``, if it has one."""
    return await db.fetchval(
        "SELECT photo_id FROM photo_files WHERE library_id = $1 AND path = $2 AND status = 'ok'",
        library_id, path)


async def duration_of(db: Queryable, photo_id: UUID) -> int | None:
    return await db.fetchval("SELECT duration_ms FROM photos WHERE id = $1", photo_id)


async def photo_metadata(db: Queryable, photo_id: UUID) -> dict[str, Any]:
    """The raw tags read from a photo's file (its metadata column)."""
    value = await db.fetchval("SELECT metadata FROM photos WHERE id = $1", photo_id)
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ShotFile:
    """A readable file of a photo taken in one second by one camera (RAW+JPEG pairing)."""

    photo_id: UUID
    path: str
    role: str
    subsec: str | None  # the photo's raw tags (its face file's)
    serial: str | None
    files: int  # how many files the photo has
    has_raw: bool


async def lock_shot(db: Queryable, library_id: UUID, folder: str, second: datetime) -> None:
    """Hold, until the transaction ends, the lock on one folder's capture second: a RAW and
    its JPEG imported side by side take turns, so the second sees the first."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended("
        "'shot:' || $1::uuid::text || ':' || $2 || ':' || $3::timestamp::text, 0))",
        library_id, folder, second)


async def shot_files(db: Queryable, library_id: UUID, folder: str, second: datetime,
                     make: str, model: str, subsec_key: str,
                     serial_key: str) -> list[ShotFile]:
    """Readable files directly in ``folder`` whose photos were taken (by their metadata,
    not a file time) within ``second`` by this camera."""
    prefix = folder.rstrip("/") + "/"
    rows = await db.fetch(
        """
        SELECT p.id, f.path, f.role, p.metadata ->> $6 AS subsec, p.metadata ->> $7 AS serial,
               (SELECT count(*) FROM photo_files a WHERE a.photo_id = p.id) AS files,
               EXISTS (SELECT 1 FROM photo_files r
                       WHERE r.photo_id = p.id AND r.role = 'raw') AS has_raw
        FROM photos p
        JOIN cameras c ON c.id = p.camera_id
        JOIN photo_files f ON f.photo_id = p.id AND f.status = 'ok'
        WHERE p.library_id = $1 AND c.make = $4 AND c.model = $5
          AND p.taken_at_local >= $3 AND p.taken_at_local < $3 + interval '1 second'
          AND p.taken_at_source <> 'file'
          -- taken_at is the wall clock less its UTC offset (at most 14 h): the index's column
          AND p.taken_at BETWEEN ($3::timestamp AT TIME ZONE 'UTC') - interval '15 hours'
                             AND ($3::timestamp AT TIME ZONE 'UTC') + interval '15 hours'
          AND left(f.path, length($2)) = $2 AND strpos(substr(f.path, length($2) + 1), '/') = 0
        ORDER BY f.path
        """,
        library_id, prefix, second, make, model, subsec_key, serial_key)
    return [ShotFile(r["id"], r["path"], r["role"], r["subsec"], r["serial"], r["files"],
                     r["has_raw"]) for r in rows]


async def thumbnail_key_in_use(db: Queryable, key: str) -> bool:
    """Whether any photo (of any library: keys are content hashes) shows these thumbnails."""
    return bool(await db.fetchval("SELECT EXISTS (SELECT 1 FROM photos WHERE thumbnail_key = $1)",
                                  key))


async def thumbnail_key_of(db: Queryable, photo_id: UUID) -> str | None:
    return await db.fetchval("SELECT thumbnail_key FROM photos WHERE id = $1", photo_id)


async def lone_companion(db: Queryable, photo_id: UUID) -> str | None:
    """The path of a photo's readable RAW or motion clip when none of its own (role
    'original') files is readable any more: its still was deleted. A RAW before a clip."""
    return await db.fetchval(
        """
        SELECT path FROM photo_files c
        WHERE c.photo_id = $1 AND c.status = 'ok' AND c.role <> 'original'
          AND NOT EXISTS (SELECT 1 FROM photo_files o WHERE o.photo_id = $1
                          AND o.role = 'original' AND o.status <> 'missing')
        ORDER BY (c.role = 'raw') DESC, c.path LIMIT 1
        """,
        photo_id)


async def delete_missing_files(db: Queryable, photo_id: UUID) -> None:
    await db.execute("DELETE FROM photo_files WHERE photo_id = $1 AND status = 'missing'",
                     photo_id)

"""Media kinds of photos and roles of their files (migration 013): RAW, video, motion clips."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["FILE_ROLES", "MEDIA_TYPES", "duration_of", "photo_metadata", "photo_of_path",
           "set_file_role", "set_media"]

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

"""The trash: move photos in and out, list it, forget it, and remember forgotten files.

A photo in the trash keeps every row (tags, faces, files) and only ``trashed_at`` changes;
the count triggers (migration 015) take it out of every kept count and put it back.
Forgetting deletes the photos, after recording their files in ``ignored_files`` so that a
later scan does not import them again. Files on disk are never touched.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photos_query import PHOTO_COLUMNS as _PHOTO_COLUMNS
from photonix_rt.store.photos_query import PhotoRow
from photonix_rt.store.photos_query import photo_from_record as _photo

__all__ = ["forget_trashed", "is_ignored", "set_trashed", "trashed_count", "trashed_page"]


async def set_trashed(db: Queryable, photo_ids: list[UUID], trashed: bool) -> list[UUID]:
    """Move photos into (or out of) the trash; the ids that changed."""
    rows = await db.fetch(
        """
        UPDATE photos SET trashed_at = CASE WHEN $2 THEN now() ELSE NULL END,
                          updated_at = now()
        WHERE id = ANY($1::uuid[]) AND (trashed_at IS NULL) = $2
        RETURNING id
        """, photo_ids, trashed)
    return sorted(r["id"] for r in rows)


async def trashed_page(db: Queryable, library_id: UUID, after: tuple[datetime, UUID] | None,
                       limit: int) -> list[PhotoRow]:
    """Photos in the trash, most recently trashed first (keyset on trashed_at, id)."""
    rows = await db.fetch(
        f"""
        SELECT {_PHOTO_COLUMNS} FROM photos p
        WHERE p.library_id = $1 AND p.trashed_at IS NOT NULL
          AND ($2::timestamptz IS NULL OR (p.trashed_at, p.id) < ($2, $3))
        ORDER BY p.trashed_at DESC, p.id DESC LIMIT $4
        """, library_id, after[0] if after else None, after[1] if after else None, limit)
    return [_photo(r) for r in rows]


async def trashed_count(db: Queryable, library_id: UUID) -> int:
    return await db.fetchval(
        "SELECT count(*) FROM photos WHERE library_id = $1 AND trashed_at IS NOT NULL",
        library_id)


async def forget_trashed(db: Queryable, library_id: UUID) -> tuple[list[UUID], list[UUID]]:
    """Delete the library's trashed photos; (photo ids, people who lost faces).

    Tags and faces go first, while their photos are still in the trash, so the count
    triggers (which skip trashed photos) subtract nothing twice.
    """
    photo_ids = [r["id"] for r in await db.fetch(
        "SELECT id FROM photos WHERE library_id = $1 AND trashed_at IS NOT NULL"
        " ORDER BY id FOR UPDATE", library_id)]
    if not photo_ids:
        return [], []
    await db.execute(
        """
        INSERT INTO ignored_files (library_id, content_hash, path, size)
        SELECT DISTINCT ON (p.content_hash) p.library_id, p.content_hash,
               coalesce(f.path, ''), coalesce(f.size, 0)
        FROM photos p LEFT JOIN photo_files f ON f.photo_id = p.id
        WHERE p.id = ANY($1::uuid[])
        ORDER BY p.content_hash, f.status = 'ok' DESC, f.path
        ON CONFLICT (library_id, content_hash) DO UPDATE
            SET path = EXCLUDED.path, size = EXCLUDED.size
        """, photo_ids)
    people = [r["person_id"] for r in await db.fetch(
        "DELETE FROM faces WHERE photo_id = ANY($1::uuid[]) RETURNING person_id",
        photo_ids) if r["person_id"] is not None]
    await db.execute("DELETE FROM photo_tags WHERE photo_id = ANY($1::uuid[])", photo_ids)
    await db.execute("DELETE FROM photos WHERE id = ANY($1::uuid[])", photo_ids)
    return photo_ids, sorted(set(people), key=str)


async def is_ignored(db: Queryable, library_id: UUID, *, content_hash: bytes | None = None,
                     path: str | None = None, size: int | None = None) -> bool:
    """Whether a file is one of a forgotten photo: by content, or by path and size."""
    return await db.fetchval(
        """
        SELECT EXISTS (SELECT 1 FROM ignored_files WHERE library_id = $1 AND content_hash = $2)
            OR EXISTS (SELECT 1 FROM ignored_files WHERE library_id = $1 AND path = $3
                       AND size = $4)
        """, library_id, content_hash, path, size)

"""Where each photo's thumbnails can be made from again: its key and one readable file."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["ThumbnailSource", "thumbnail_sources"]


@dataclass(frozen=True)
class ThumbnailSource:
    photo_id: UUID
    library_id: UUID
    thumbnail_key: str
    path: str


async def thumbnail_sources(db: Queryable, after: UUID | None,
                            limit: int) -> list[ThumbnailSource]:
    """Photos with a thumbnail key and an ``ok`` file, by id after ``after`` (keyset pages)."""
    rows = await db.fetch(
        """
        SELECT p.id, p.library_id, p.thumbnail_key, f.path
        FROM photos p
        JOIN LATERAL (SELECT path FROM photo_files
                      WHERE photo_id = p.id AND status = 'ok' ORDER BY path LIMIT 1) f ON true
        WHERE p.thumbnail_key IS NOT NULL AND ($1::uuid IS NULL OR p.id > $1)
        ORDER BY p.id
        LIMIT $2
        """,
        after, limit,
    )
    return [ThumbnailSource(r["id"], r["library_id"], r["thumbnail_key"], r["path"])
            for r in rows]

"""Albums (tags of type 'album'): the list with counts and covers, rename, delete."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from photonix_rt.store.db import Queryable
from photonix_rt.store.photos_query import TagRow, tag_row

__all__ = ["AlbumRow", "albums_of_library", "delete_album", "rename_album"]


@dataclass(frozen=True)
class AlbumRow:
    tag: TagRow
    photo_count: int
    cover_photo_id: UUID | None  # the newest photo in it (not in the trash)


async def albums_of_library(db: Queryable, library_id: UUID) -> list[AlbumRow]:
    """Every album by name, with its kept photo count and its newest photo."""
    rows = await db.fetch(
        """
        SELECT t.id, t.library_id, t.name, t.type, t.source, t.parent_id,
               coalesce(c.n, 0) AS n, cover.id AS cover_id
        FROM tags t
        LEFT JOIN library_counts_of($1, 'tag') c ON c.key = t.id
        LEFT JOIN LATERAL (
            SELECT p.id FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id
            WHERE pt.tag_id = t.id AND NOT pt.hidden AND p.trashed_at IS NULL
            ORDER BY p.taken_at DESC NULLS LAST, p.id DESC LIMIT 1) cover ON true
        WHERE t.library_id = $1 AND t.type = 'album'
        ORDER BY lower(t.name), t.id
        """, library_id)
    return [AlbumRow(tag_row(r), r["n"], r["cover_id"]) for r in rows]


async def rename_album(db: Queryable, album_id: UUID, name: str) -> bool:
    """False when the library has another album of that name."""
    try:
        row = await db.fetchval(
            """
            UPDATE tags SET name = $2 WHERE id = $1 AND NOT EXISTS (
                SELECT 1 FROM tags o WHERE o.library_id = tags.library_id AND o.type = 'album'
                AND o.id <> tags.id AND lower(o.name) = lower($2))
            RETURNING id
            """, album_id, name)
    except asyncpg.UniqueViolationError:  # renamed to the same name at the same moment
        return False
    return row is not None


async def delete_album(db: Queryable, album_id: UUID) -> None:
    """The album and its photo rows go; the photos stay."""
    await db.execute("DELETE FROM tags WHERE id = $1 AND type = 'album'", album_id)

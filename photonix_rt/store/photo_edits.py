"""Person edits to a photo row: lock it for a change, set its rating, touch updated_at."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["lock_photo", "lock_photos", "set_rating", "touch"]


async def lock_photo(db: Queryable, photo_id: UUID) -> UUID | None:
    """Lock the photo row for this transaction; its library id, or None if it is gone."""
    return await db.fetchval("SELECT library_id FROM photos WHERE id = $1 FOR UPDATE",
                             photo_id)


async def lock_photos(db: Queryable, photo_ids: list[UUID]) -> dict[UUID, UUID]:
    """Lock several photo rows (in id order, so concurrent edits cannot deadlock)."""
    rows = await db.fetch(
        "SELECT id, library_id FROM photos WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE",
        photo_ids)
    return {r["id"]: r["library_id"] for r in rows}


async def set_rating(db: Queryable, photo_id: UUID, rating: int) -> bool:
    """Set the rating (0-5); True when the value changed."""
    status = await db.execute(
        "UPDATE photos SET rating = $2, updated_at = now() WHERE id = $1 AND rating <> $2",
        photo_id, rating)
    return status.endswith(" 1")


async def touch(db: Queryable, photo_ids: list[UUID]) -> None:
    """Mark photos as changed now (their tags changed)."""
    await db.execute("UPDATE photos SET updated_at = now() WHERE id = ANY($1::uuid[])",
                     photo_ids)

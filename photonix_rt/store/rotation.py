"""A photo's app-chosen rotation: the photo row, and the boxes drawn on it turned along."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["rotate_boxes", "set_rotation"]

# A quarter turn clockwise of a box (x, y, width, height as fractions of the image).
_QUARTER = "ARRAY[1 - box[2] - box[4], box[1], box[4], box[3]]::real[]"


async def set_rotation(db: Queryable, photo_id: UUID, rotation: int, thumbnail_key: str | None,
                       placeholder: str | None, swap_sides: bool) -> None:
    """Store the rotation with the redrawn thumbnails' key; width and height swap on an odd
    number of quarter turns (they are the size as displayed)."""
    await db.execute(
        """
        UPDATE photos SET rotation = $2, thumbnail_key = $3,
            placeholder = coalesce($4, placeholder),
            width = CASE WHEN $5 THEN height ELSE width END,
            height = CASE WHEN $5 THEN width ELSE height END,
            updated_at = now()
        WHERE id = $1
        """, photo_id, rotation, thumbnail_key, placeholder, swap_sides)


async def rotate_boxes(db: Queryable, photo_id: UUID, quarter_turns: int) -> None:
    """Turn the photo's face and tag boxes with the image, so what people confirmed still
    sits on the same face (a re-run matches detections to stored faces by overlap)."""
    for _ in range(quarter_turns % 4):
        await db.execute(f"UPDATE faces SET box = {_QUARTER} WHERE photo_id = $1", photo_id)
        await db.execute(f"UPDATE photo_tags SET box = {_QUARTER}"
                         " WHERE photo_id = $1 AND box IS NOT NULL", photo_id)

"""People screen reads: a page of people by photo count, cover faces, the face review queue.

Counts come from the kept counts (migration 009), so ordering a library's people reads one
row per person, never their faces. Photos in the trash are left out everywhere.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.faces import FACE_COLUMNS as _FACE
from photonix_rt.store.faces import FaceRow, PersonRow
from photonix_rt.store.faces import face_from_record as _face

__all__ = ["cover_faces", "people_page", "review_faces", "set_cover"]

_NOT_TRASHED = ("NOT EXISTS (SELECT 1 FROM photos tp WHERE tp.id = faces.photo_id"
                " AND tp.trashed_at IS NOT NULL)")


def _person(r: Any) -> PersonRow:
    return PersonRow(r["id"], r["library_id"], r["name"], r["tag_id"], r["created_at"],
                     r["face_count"], r["photo_count"])


async def people_page(db: Queryable, library_id: UUID, offset: int,
                      limit: int) -> tuple[list[PersonRow], int]:
    """Named people first, then unnamed groups, each by photo count (most first); people
    left with no photo are hidden unless named. Returns the page and the total."""
    rows = await db.fetch(
        """
        WITH listed AS (
            SELECT p.id, p.library_id, p.name, p.tag_id, p.created_at,
                   coalesce(pf.n, 0) AS face_count, coalesce(pp.n, 0) AS photo_count
            FROM people p
            LEFT JOIN library_counts_of($1, 'person_photos') pp ON pp.key = p.id
            LEFT JOIN library_counts_of($1, 'person_faces') pf ON pf.key = p.id
            WHERE p.library_id = $1 AND (p.name IS NOT NULL OR coalesce(pp.n, 0) > 0)
        )
        SELECT l.*, count(*) OVER () AS total FROM listed l
        ORDER BY l.name IS NULL, l.photo_count DESC, lower(l.name), l.created_at, l.id
        OFFSET $2 LIMIT $3
        """,
        library_id, offset, limit)
    if not rows:
        total = 0 if offset == 0 else await _people_total(db, library_id)
        return [], total
    return [_person(r) for r in rows], rows[0]["total"]


async def _people_total(db: Queryable, library_id: UUID) -> int:
    return await db.fetchval(
        """
        SELECT count(*) FROM people p
        LEFT JOIN library_counts_of($1, 'person_photos') pp ON pp.key = p.id
        WHERE p.library_id = $1 AND (p.name IS NOT NULL OR coalesce(pp.n, 0) > 0)
        """, library_id)


async def cover_faces(db: Queryable, person_ids: list[UUID]) -> dict[UUID, FaceRow]:
    """Each person's cover: the chosen face while it is still theirs and visible, else their
    confirmed faces first, then the most confident and largest."""
    rows = await db.fetch(
        f"""
        SELECT c.* FROM people p CROSS JOIN LATERAL (
            SELECT {_FACE} FROM faces
            WHERE faces.person_id = p.id AND faces.status <> 'rejected' AND {_NOT_TRASHED}
            ORDER BY (faces.id = p.cover_face_id) DESC NULLS LAST,
                     (faces.status = 'confirmed') DESC, faces.confidence DESC,
                     faces.box[3] * faces.box[4] DESC, faces.id
            LIMIT 1) c
        WHERE p.id = ANY($1::uuid[])
        """, person_ids)
    return {r["person_id"]: _face(r) for r in rows}


async def set_cover(db: Queryable, person_id: UUID, face_id: int | None) -> None:
    await db.execute("UPDATE people SET cover_face_id = $2, updated_at = now() WHERE id = $1",
                     person_id, face_id)


async def review_faces(db: Queryable, library_id: UUID, after_id: int, limit: int,
                       min_confidence: float) -> list[FaceRow]:
    """Faces a person should look at, oldest first: those of nobody (taken off a person),
    and automatic ones that are unsure (a weak detection) or of a person nobody named."""
    rows = await db.fetch(
        f"""
        SELECT {_FACE} FROM faces
        WHERE faces.library_id = $1 AND faces.id > $2 AND faces.status <> 'rejected'
          AND (faces.person_id IS NULL
               OR (faces.status = 'auto'
                   AND (faces.confidence < $4 OR EXISTS (
                        SELECT 1 FROM people p WHERE p.id = faces.person_id
                        AND p.name IS NULL))))
          AND {_NOT_TRASHED}
        ORDER BY faces.id LIMIT $3
        """, library_id, after_id, limit, min_confidence)
    return [_face(r) for r in rows]

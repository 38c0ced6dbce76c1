"""Model-made photo tags: replace one stage's tags of a photo, keeping what a person decided."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["ModelTag", "delete_photo_tag", "ensure_tag", "insert_photo_tag", "replace_stage_tags",
           "set_photo_tag_tag"]


@dataclass(frozen=True)
class ModelTag:
    """One tag a classifier found, ready to store (type in the tags table's spelling)."""

    name: str
    type: str
    confidence: float
    significance: float
    box: list[float] | None
    parent: str | None


async def ensure_tag(db: Queryable, library_id: UUID, name: str, tag_type: str,
                     parent_id: UUID | None, source: str = "model") -> UUID:
    """The tag with exactly this name, type and parent; created when new.

    Reads first and inserts with DO NOTHING: an upsert that "updates" an existing tag would
    lock its row until the transaction ends, and result transactions tagging many photos
    with the same colours would queue behind (or deadlock with) each other.
    """
    select = """
        SELECT id FROM tags WHERE library_id = $1 AND type = $3 AND name = $2
          AND parent_id IS NOT DISTINCT FROM $4
    """
    existing = await db.fetchval(select, library_id, name, tag_type, parent_id)
    if existing is not None:
        return existing
    created = await db.fetchval(
        """
        INSERT INTO tags (library_id, name, type, source, parent_id) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (library_id, type, parent_id, name) DO NOTHING
        RETURNING id
        """,
        library_id, name, tag_type, source, parent_id,
    )
    if created is not None:
        return created
    return await db.fetchval(select, library_id, name, tag_type, parent_id)  # raced in


async def insert_photo_tag(db: Queryable, photo_id: UUID, tag_id: UUID, confidence: float,
                           significance: float, box: list[float] | None,
                           model_version: str | None) -> UUID:
    return await db.fetchval(
        """
        INSERT INTO photo_tags (photo_id, tag_id, confidence, significance, box, model_version)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
        """,
        photo_id, tag_id, confidence, significance, box, model_version,
    )


async def replace_stage_tags(db: Queryable, library_id: UUID, photo_id: UUID,
                             tag_types: list[str], tags: list[ModelTag],
                             model_version: str | None) -> int:
    """Swap the photo's model tags of these types for ``tags``; how many were written.

    Rows a person verified or hid stay, and a tag they cover is not added again. Rows tied
    to a face are left to the face code.
    """
    await db.execute(
        """
        DELETE FROM photo_tags pt USING tags t
        WHERE pt.tag_id = t.id AND pt.photo_id = $1 AND t.type = ANY($2::text[])
          AND pt.model_version IS NOT NULL AND NOT pt.verified AND NOT pt.hidden
          AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.photo_tag_id = pt.id)
        """,
        photo_id, tag_types,
    )
    kept = {r["tag_id"] for r in await db.fetch(
        "SELECT tag_id FROM photo_tags WHERE photo_id = $1 AND (verified OR hidden)", photo_id)}
    written = 0
    parents: dict[tuple[str, str], UUID] = {}
    # New tags are created in one fixed order, so two transactions creating the same new
    # tags wait for each other instead of deadlocking.
    for tag in sorted(tags, key=lambda t: (t.type, t.parent or "", t.name)):
        parent_id = None
        if tag.parent:
            key = (tag.type, tag.parent)
            if key not in parents:
                parents[key] = await ensure_tag(db, library_id, tag.parent, tag.type, None)
            parent_id = parents[key]
        tag_id = await ensure_tag(db, library_id, tag.name, tag.type, parent_id)
        if tag_id in kept:
            continue
        await insert_photo_tag(db, photo_id, tag_id, tag.confidence, tag.significance, tag.box,
                               model_version)
        written += 1
    return written


async def set_photo_tag_tag(db: Queryable, photo_tag_id: UUID, tag_id: UUID) -> None:
    """Point one photo tag row at another tag (a face moved to another person)."""
    await db.execute("UPDATE photo_tags SET tag_id = $2 WHERE id = $1", photo_tag_id, tag_id)


async def delete_photo_tag(db: Queryable, photo_tag_id: UUID) -> None:
    await db.execute("DELETE FROM photo_tags WHERE id = $1", photo_tag_id)

"""Tag writes: find-or-create tags, attach them to photos, detach them (user tags, albums)."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photos_query import TagRow, tag_row

__all__ = [
    "attach",
    "attach_many",
    "create_tag",
    "detach",
    "detach_many",
    "find_tag",
    "get_or_create_tag",
]

_TAG_COLUMNS = "id, library_id, name, type, source, parent_id"


async def find_tag(db: Queryable, library_id: UUID, name: str, tag_type: str) -> TagRow | None:
    """The top-level tag of this type whose name matches case-insensitively."""
    row = await db.fetchrow(
        f"SELECT {_TAG_COLUMNS} FROM tags WHERE library_id = $1 AND type = $2"
        " AND parent_id IS NULL AND lower(name) = lower($3) ORDER BY created_at LIMIT 1",
        library_id, tag_type, name)
    return tag_row(row) if row else None


async def create_tag(db: Queryable, library_id: UUID, name: str, tag_type: str,
                     source: str) -> TagRow | None:
    """A new top-level tag, or None when that exact name and type already exist."""
    row = await db.fetchrow(
        f"""
        INSERT INTO tags (library_id, name, type, source) VALUES ($1, $2, $3, $4)
        ON CONFLICT (library_id, type, parent_id, name) DO NOTHING
        RETURNING {_TAG_COLUMNS}
        """, library_id, name, tag_type, source)
    return tag_row(row) if row else None


async def get_or_create_tag(db: Queryable, library_id: UUID, name: str, tag_type: str,
                            source: str) -> TagRow:
    """The existing tag (case-insensitive name) or a new one."""
    existing = await find_tag(db, library_id, name, tag_type)
    if existing is not None:
        return existing
    created = await create_tag(db, library_id, name, tag_type, source)
    if created is not None:
        return created
    found = await find_tag(db, library_id, name, tag_type)  # lost a race to an insert
    assert found is not None
    return found


async def attach(db: Queryable, photo_id: UUID, tag_id: UUID) -> bool:
    """Put a person-verified tag on a photo (un-hiding it if hidden); True when it changed."""
    return await attach_many(db, [photo_id], tag_id) > 0


async def attach_many(db: Queryable, photo_ids: list[UUID], tag_id: UUID) -> int:
    """Attach one tag to many photos; how many photos changed."""
    unhidden = await db.execute(
        """
        UPDATE photo_tags SET hidden = false, verified = true
        WHERE tag_id = $2 AND photo_id = ANY($1::uuid[]) AND (hidden OR NOT verified)
        """, photo_ids, tag_id)
    inserted = await db.execute(
        """
        INSERT INTO photo_tags (photo_id, tag_id, confidence, significance, verified)
        SELECT ids.id, $2, 1.0, 1.0, true FROM unnest($1::uuid[]) AS ids(id)
        WHERE NOT EXISTS (SELECT 1 FROM photo_tags pt
                          WHERE pt.photo_id = ids.id AND pt.tag_id = $2)
        """, sorted(set(photo_ids)), tag_id)
    return int(unhidden.split()[-1]) + int(inserted.split()[-1])


async def detach(db: Queryable, photo_id: UUID, tag_id: UUID) -> bool:
    """Take a tag off a photo; True when it was there."""
    return await detach_many(db, [photo_id], tag_id) > 0


async def detach_many(db: Queryable, photo_ids: list[UUID], tag_id: UUID) -> int:
    """Take a tag off many photos; how many photos changed.

    A model's tag is hidden rather than deleted, so re-running the classifier does not put
    back what a person took off; a person's tag is deleted.
    """
    hidden = await db.execute(
        """
        UPDATE photo_tags pt SET hidden = true FROM tags t
        WHERE t.id = pt.tag_id AND t.source = 'model' AND pt.tag_id = $2
          AND pt.photo_id = ANY($1::uuid[]) AND NOT pt.hidden
        """, photo_ids, tag_id)
    deleted = await db.execute(
        """
        DELETE FROM photo_tags pt USING tags t
        WHERE t.id = pt.tag_id AND t.source = 'person' AND pt.tag_id = $2
          AND pt.photo_id = ANY($1::uuid[])
        """, photo_ids, tag_id)
    return int(hidden.split()[-1]) + int(deleted.split()[-1])

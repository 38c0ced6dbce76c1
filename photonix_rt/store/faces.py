"""Faces (box, confidence, 128-d embedding, person) and people, plus face-index bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = [
    "FACE_COLUMNS",
    "FaceIndexState",
    "FaceRow",
    "PersonRow",
    "add_index_changes",
    "create_person",
    "delete_faces",
    "delete_people",
    "delete_unused_unnamed",
    "face_by_id",
    "face_from_record",
    "faces_for_photos",
    "faces_of_person",
    "faces_of_photo",
    "index_snapshot",
    "index_state",
    "insert_face",
    "live_faces_after",
    "lock_library_faces",
    "move_faces_of_people",
    "people_by_ids",
    "people_of_library",
    "person_by_id",
    "persons_of_faces",
    "record_index_build",
    "retag_person_faces",
    "set_face",
    "set_face_photo_tag",
    "set_person_name",
    "try_lock_index_build",
    "unlock_index_build",
    "update_face_detection",
]

_FACE = """id, library_id, photo_id, person_id, photo_tag_id, box, confidence, status,
    model_version, created_at,
    (SELECT thumbnail_key FROM photos WHERE photos.id = faces.photo_id) AS thumbnail_key"""
_PERSON = """p.id, p.library_id, p.name, p.tag_id, p.created_at,
    library_count(p.library_id, 'person_faces', p.id) AS face_count,
    library_count(p.library_id, 'person_photos', p.id) AS photo_count"""  # kept counts


@dataclass(frozen=True)
class FaceRow:
    id: int
    library_id: UUID
    photo_id: UUID
    person_id: UUID | None
    photo_tag_id: UUID | None
    box: list[float]
    confidence: float
    status: str  # auto, confirmed, rejected
    model_version: str | None
    created_at: datetime
    thumbnail_key: str | None = None  # of the photo: its preview is what a crop is cut from


@dataclass(frozen=True)
class PersonRow:
    id: UUID
    library_id: UUID
    name: str | None
    tag_id: UUID | None
    created_at: datetime
    face_count: int
    photo_count: int


@dataclass(frozen=True)
class FaceIndexState:
    generation: int
    max_face_id: int  # faces above this id are not in the built index: the exact delta
    face_count: int
    changes: int


def _face(r: Any) -> FaceRow:
    return FaceRow(r["id"], r["library_id"], r["photo_id"], r["person_id"], r["photo_tag_id"],
                   list(r["box"]), r["confidence"], r["status"], r["model_version"],
                   r["created_at"], r["thumbnail_key"])


def _person(r: Any) -> PersonRow:
    return PersonRow(r["id"], r["library_id"], r["name"], r["tag_id"], r["created_at"],
                     r["face_count"], r["photo_count"])


# For the other face readers (store.people_pages).
FACE_COLUMNS = _FACE
face_from_record = _face


# ---- faces -------------------------------------------------------------------------------

async def lock_library_faces(db: Queryable, library_id: UUID) -> None:
    """Serialise face grouping in one library until the transaction ends."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('faces:' || $1::uuid::text, 0))",
        library_id)


async def faces_of_photo(db: Queryable, photo_id: UUID) -> list[FaceRow]:
    rows = await db.fetch(f"SELECT {_FACE} FROM faces WHERE photo_id = $1 ORDER BY id",
                          photo_id)
    return [_face(r) for r in rows]


async def faces_for_photos(db: Queryable, photo_ids: list[UUID]) -> list[FaceRow]:
    """Faces shown on these photos (rejected ones left out), in box order."""
    rows = await db.fetch(
        f"""SELECT {_FACE} FROM faces WHERE photo_id = ANY($1::uuid[]) AND status <> 'rejected'
            ORDER BY photo_id, box[1], id""",
        photo_ids,
    )
    return [_face(r) for r in rows]


async def faces_of_person(db: Queryable, person_id: UUID) -> list[FaceRow]:
    rows = await db.fetch(
        f"""SELECT {_FACE} FROM faces WHERE person_id = $1 AND status <> 'rejected'
              AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = faces.photo_id
                              AND p.trashed_at IS NOT NULL)
            ORDER BY id""",
        person_id,
    )
    return [_face(r) for r in rows]


async def face_by_id(db: Queryable, face_id: int, *, for_update: bool = False) -> FaceRow | None:
    query = (f"SELECT {_FACE} FROM faces WHERE id = $1 FOR UPDATE" if for_update
             else f"SELECT {_FACE} FROM faces WHERE id = $1")
    row = await db.fetchrow(query, face_id)
    return _face(row) if row else None


async def insert_face(db: Queryable, library_id: UUID, photo_id: UUID, person_id: UUID | None,
                      box: list[float], confidence: float, embedding: list[float],
                      model_version: str | None) -> int:
    return await db.fetchval(
        """
        INSERT INTO faces (library_id, photo_id, person_id, box, confidence, embedding,
                           model_version)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
        """,
        library_id, photo_id, person_id, box, confidence, embedding, model_version,
    )


async def update_face_detection(db: Queryable, face_id: int, box: list[float],
                                confidence: float, embedding: list[float],
                                model_version: str | None) -> None:
    """A re-run found the same face again: new measurements, same person."""
    await db.execute(
        """
        UPDATE faces SET box = $2, confidence = $3, embedding = $4, model_version = $5,
            updated_at = now()
        WHERE id = $1
        """,
        face_id, box, confidence, embedding, model_version,
    )
    await db.execute(
        """
        UPDATE photo_tags SET box = $2, confidence = $3, model_version = $4
        WHERE id = (SELECT photo_tag_id FROM faces WHERE id = $1)
        """,
        face_id, box, confidence, model_version,
    )


async def set_face_photo_tag(db: Queryable, face_id: int, photo_tag_id: UUID | None) -> None:
    await db.execute("UPDATE faces SET photo_tag_id = $2 WHERE id = $1", face_id, photo_tag_id)


async def set_face(db: Queryable, face_id: int, person_id: UUID | None, status: str) -> None:
    await db.execute(
        "UPDATE faces SET person_id = $2, status = $3, updated_at = now() WHERE id = $1",
        face_id, person_id, status,
    )


async def delete_faces(db: Queryable, face_ids: list[int]) -> None:
    """Delete faces and the PERSON photo tags that showed them."""
    await db.execute(
        """
        DELETE FROM photo_tags WHERE id IN (
            SELECT photo_tag_id FROM faces WHERE id = ANY($1::bigint[]))
        """,
        face_ids,
    )
    await db.execute("DELETE FROM faces WHERE id = ANY($1::bigint[])", face_ids)


async def live_faces_after(db: Queryable, library_id: UUID,
                           after_id: int) -> list[tuple[int, list[float]]]:
    """Grouped faces (a person, not rejected) with an id above ``after_id``: (id, embedding)."""
    rows = await db.fetch(
        """
        SELECT id, embedding FROM faces
        WHERE library_id = $1 AND id > $2 AND status <> 'rejected' AND person_id IS NOT NULL
        ORDER BY id
        """,
        library_id, after_id,
    )
    return [(r["id"], list(r["embedding"])) for r in rows]


async def persons_of_faces(db: Queryable, face_ids: list[int]) -> dict[int, UUID]:
    """Face id -> person id, for the faces that still exist, belong to someone, and count."""
    rows = await db.fetch(
        """
        SELECT id, person_id FROM faces
        WHERE id = ANY($1::bigint[]) AND status <> 'rejected' AND person_id IS NOT NULL
        """,
        face_ids,
    )
    return {r["id"]: r["person_id"] for r in rows}


# ---- people ------------------------------------------------------------------------------

async def create_person(db: Queryable, library_id: UUID, tag_id: UUID | None,
                        name: str | None = None) -> UUID:
    return await db.fetchval(
        "INSERT INTO people (library_id, name, tag_id) VALUES ($1, $2, $3) RETURNING id",
        library_id, name, tag_id,
    )


async def person_by_id(db: Queryable, person_id: UUID) -> PersonRow | None:
    row = await db.fetchrow(f"SELECT {_PERSON} FROM people p WHERE p.id = $1", person_id)
    return _person(row) if row else None


async def people_by_ids(db: Queryable, person_ids: list[UUID]) -> list[PersonRow]:
    rows = await db.fetch(f"SELECT {_PERSON} FROM people p WHERE p.id = ANY($1::uuid[])",
                          person_ids)
    return [_person(r) for r in rows]


async def people_of_library(db: Queryable, library_id: UUID) -> list[PersonRow]:
    """Named people first (by name), then unnamed ones with the most faces first."""
    rows = await db.fetch(
        f"""
        SELECT {_PERSON} FROM people p WHERE p.library_id = $1
        ORDER BY p.name IS NULL, lower(p.name), face_count DESC, p.created_at, p.id
        """,
        library_id,
    )
    return [_person(r) for r in rows]


async def set_person_name(db: Queryable, person_id: UUID, name: str | None,
                          tag_id: UUID | None) -> None:
    await db.execute(
        "UPDATE people SET name = $2, tag_id = $3, updated_at = now() WHERE id = $1",
        person_id, name, tag_id,
    )


async def retag_person_faces(db: Queryable, person_id: UUID, tag_id: UUID) -> None:
    """Point the PERSON photo tags of the person's faces at ``tag_id`` (named or unnamed)."""
    await db.execute(
        """
        UPDATE photo_tags SET tag_id = $2 WHERE id IN (
            SELECT photo_tag_id FROM faces WHERE person_id = $1 AND photo_tag_id IS NOT NULL)
        """,
        person_id, tag_id,
    )


async def move_faces_of_people(db: Queryable, from_ids: list[UUID], to_id: UUID) -> None:
    await db.execute(
        "UPDATE faces SET person_id = $2, updated_at = now() WHERE person_id = ANY($1::uuid[])",
        from_ids, to_id,
    )


async def delete_people(db: Queryable, person_ids: list[UUID]) -> None:
    await db.execute("DELETE FROM people WHERE id = ANY($1::uuid[])", person_ids)


async def delete_unused_unnamed(db: Queryable, person_ids: list[UUID]) -> int:
    """Unnamed people left without faces vanish; named ones are kept."""
    status = await db.execute(
        """
        DELETE FROM people p WHERE p.id = ANY($1::uuid[]) AND p.name IS NULL
          AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = p.id)
        """,
        person_ids,
    )
    return int(status.split()[-1])


# ---- face index --------------------------------------------------------------------------

async def index_state(db: Queryable, library_id: UUID) -> FaceIndexState:
    row = await db.fetchrow(
        "SELECT generation, max_face_id, face_count, changes FROM face_indexes"
        " WHERE library_id = $1",
        library_id,
    )
    if row is None:
        return FaceIndexState(0, 0, 0, 0)
    return FaceIndexState(row["generation"], row["max_face_id"], row["face_count"],
                          row["changes"])


async def add_index_changes(db: Queryable, library_id: UUID, count: int) -> int:
    """Count edits since the last build; returns the new total."""
    return await db.fetchval(
        """
        INSERT INTO face_indexes (library_id, changes) VALUES ($1, $2)
        ON CONFLICT (library_id) DO UPDATE SET changes = face_indexes.changes + EXCLUDED.changes
        RETURNING changes
        """,
        library_id, count,
    )


async def index_snapshot(db: Queryable,
                         library_id: UUID) -> tuple[list[int], list[list[float]], int]:
    """Every face (rejected ones too: they may be moved back), and the changes covered."""
    changes = await db.fetchval(
        "SELECT coalesce((SELECT changes FROM face_indexes WHERE library_id = $1), 0)",
        library_id)
    rows = await db.fetch(
        "SELECT id, embedding FROM faces WHERE library_id = $1 ORDER BY id",
        library_id,
    )
    return [r["id"] for r in rows], [list(r["embedding"]) for r in rows], changes


async def record_index_build(db: Queryable, library_id: UUID, generation: int,
                             max_face_id: int, face_count: int, covered_changes: int) -> None:
    await db.execute(
        """
        INSERT INTO face_indexes (library_id, generation, max_face_id, face_count, changes,
                                  built_at)
        VALUES ($1, $2, $3, $4, 0, now())
        ON CONFLICT (library_id) DO UPDATE SET generation = EXCLUDED.generation,
            max_face_id = EXCLUDED.max_face_id, face_count = EXCLUDED.face_count,
            changes = GREATEST(0, face_indexes.changes - $5), built_at = now()
        """,
        library_id, generation, max_face_id, face_count, covered_changes,
    )


async def try_lock_index_build(db: Queryable, library_id: UUID) -> bool:
    """One index build per library at a time, across every runner (session-level lock)."""
    return await db.fetchval(
        "SELECT pg_try_advisory_lock(hashtextextended('face-index:' || $1::uuid::text, 0))",
        library_id)


async def unlock_index_build(db: Queryable, library_id: UUID) -> None:
    await db.execute(
        "SELECT pg_advisory_unlock(hashtextextended('face-index:' || $1::uuid::text, 0))",
        library_id)

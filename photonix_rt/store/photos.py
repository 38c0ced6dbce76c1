"""Writes and lookups the importer needs: photos by content, files by path, cameras, lenses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = [
    "KnownFile",
    "NewPhoto",
    "PhotoColumns",
    "delete_file",
    "file_by_path",
    "files_of_photo",
    "files_under",
    "insert_photo",
    "lock_path",
    "mark_missing",
    "photo_file_count",
    "photo_id_by_hash",
    "update_photo_content",
    "upsert_camera",
    "upsert_file",
    "upsert_lens",
]


@dataclass(frozen=True)
class KnownFile:
    """What the database remembers about a file, for the cheap unchanged-file check."""

    id: UUID
    path: str
    photo_id: UUID | None
    content_hash: bytes | None
    size: int
    mtime_ns: int
    status: str
    mime_type: str | None


@dataclass
class PhotoColumns:
    """A photo's columns that come from its file: date, camera, exposure, place, size, text.

    ``NewPhoto`` (what the importer writes) and ``photos_query.PhotoRow`` (what readers get)
    both extend it.
    """

    library_id: UUID
    taken_at: datetime | None
    taken_at_local: datetime | None
    taken_at_offset: int | None
    taken_at_zone: str | None
    taken_at_source: str | None
    camera_id: UUID | None
    lens_id: UUID | None
    exposure_time: float | None
    aperture: float | None
    iso: int | None
    focal_length: float | None
    flash: bool | None
    metering_mode: str | None
    latitude: float | None
    longitude: float | None
    altitude: float | None
    orientation: int | None
    width: int | None
    height: int | None
    rating: int
    artist: str | None
    description: str | None
    keywords: list[str]
    placeholder: str | None
    thumbnail_key: str | None
    metadata: dict[str, Any]


@dataclass
class NewPhoto(PhotoColumns):
    """A photo row to insert: its columns and the hash of its content."""

    content_hash: bytes


def _photo_values(p: NewPhoto) -> tuple[Any, ...]:
    return (
        p.library_id, p.content_hash, p.taken_at, p.taken_at_local, p.taken_at_offset,
        p.taken_at_zone, p.taken_at_source, p.camera_id, p.lens_id, p.exposure_time,
        p.aperture, p.iso, p.focal_length, p.flash, p.metering_mode, p.latitude, p.longitude,
        p.altitude, p.orientation, p.width, p.height, p.rating, p.artist, p.description,
        p.keywords, p.placeholder, p.thumbnail_key, p.metadata,
    )


def _known(r: Any) -> KnownFile:
    return KnownFile(r["id"], r["path"], r["photo_id"], r["content_hash"], r["size"],
                     r["mtime_ns"], r["status"], r["mime_type"])


async def files_under(db: Queryable, library_id: UUID, prefix: str) -> dict[str, KnownFile]:
    """Every known file whose path is ``prefix`` or lies below it, keyed by path."""
    folder = prefix.rstrip("/") + "/"
    rows = await db.fetch(
        """
        SELECT id, path, photo_id, content_hash, size, mtime_ns, status, mime_type
        FROM photo_files
        WHERE library_id = $1 AND (path = $2 OR left(path, length($3)) = $3)
        """,
        library_id, prefix, folder,
    )
    return {r["path"]: _known(r) for r in rows}


async def file_by_path(db: Queryable, library_id: UUID, path: str) -> KnownFile | None:
    r = await db.fetchrow(
        """
        SELECT id, path, photo_id, content_hash, size, mtime_ns, status, mime_type
        FROM photo_files
        WHERE library_id = $1 AND path = $2
        """,
        library_id, path,
    )
    return _known(r) if r else None


async def files_of_photo(db: Queryable, photo_id: UUID) -> list[KnownFile]:
    rows = await db.fetch(
        """
        SELECT id, path, photo_id, content_hash, size, mtime_ns, status, mime_type
        FROM photo_files
        WHERE photo_id = $1 ORDER BY path
        """,
        photo_id,
    )
    return [_known(r) for r in rows]


async def photo_id_by_hash(db: Queryable, library_id: UUID, content_hash: bytes) -> UUID | None:
    return await db.fetchval(
        "SELECT id FROM photos WHERE library_id = $1 AND content_hash = $2",
        library_id, content_hash,
    )


async def photo_file_count(db: Queryable, photo_id: UUID) -> int:
    return await db.fetchval("SELECT count(*) FROM photo_files WHERE photo_id = $1", photo_id)


async def upsert_camera(db: Queryable, make: str, model: str) -> UUID:
    """The camera's id, created when new (read first: no row lock on known cameras)."""
    select = "SELECT id FROM cameras WHERE make = $1 AND model = $2"
    return (await db.fetchval(select, make, model)
            or await db.fetchval(
                "INSERT INTO cameras (make, model) VALUES ($1, $2) "
                "ON CONFLICT (make, model) DO NOTHING RETURNING id", make, model)
            or await db.fetchval(select, make, model))


async def upsert_lens(db: Queryable, name: str) -> UUID:
    """The lens's id, created when new (read first: no row lock on known lenses)."""
    select = "SELECT id FROM lenses WHERE name = $1"
    return (await db.fetchval(select, name)
            or await db.fetchval(
                "INSERT INTO lenses (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id",
                name)
            or await db.fetchval(select, name))


async def insert_photo(db: Queryable, photo: NewPhoto) -> tuple[UUID, bool]:
    """Insert the photo unless its content is already there; return (id, created)."""
    new_id = await db.fetchval(
        """
        INSERT INTO photos (library_id, content_hash, taken_at, taken_at_local,
            taken_at_offset, taken_at_zone, taken_at_source, camera_id, lens_id, exposure_time,
            aperture, iso, focal_length, flash, metering_mode, latitude, longitude, altitude,
            orientation, width, height, rating, artist, description, keywords, placeholder,
            thumbnail_key, metadata)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)
        ON CONFLICT (library_id, content_hash) DO NOTHING
        RETURNING id
        """,
        *_photo_values(photo),
    )
    if new_id is not None:
        return new_id, True
    existing = await photo_id_by_hash(db, photo.library_id, photo.content_hash)
    assert existing is not None
    return existing, False


async def update_photo_content(db: Queryable, photo_id: UUID, photo: NewPhoto) -> None:
    """Replace a photo's content-derived columns (its file changed); keep user edits, but
    not the app's rotation: the new thumbnails are drawn upright from the new file."""
    await db.execute(
        """
        UPDATE photos SET content_hash = $2, taken_at = $3, taken_at_local = $4,
            taken_at_offset = $5, taken_at_zone = $6, taken_at_source = $7, camera_id = $8,
            lens_id = $9, exposure_time = $10, aperture = $11, iso = $12, focal_length = $13,
            flash = $14, metering_mode = $15, latitude = $16, longitude = $17, altitude = $18,
            orientation = $19, width = $20, height = $21, artist = $22, description = $23,
            keywords = $24, placeholder = $25, thumbnail_key = $26, metadata = $27,
            rotation = 0, updated_at = now()
        WHERE id = $1
        """,
        photo_id, photo.content_hash, photo.taken_at, photo.taken_at_local,
        photo.taken_at_offset, photo.taken_at_zone, photo.taken_at_source, photo.camera_id,
        photo.lens_id, photo.exposure_time, photo.aperture, photo.iso, photo.focal_length,
        photo.flash, photo.metering_mode, photo.latitude, photo.longitude, photo.altitude,
        photo.orientation, photo.width, photo.height, photo.artist, photo.description,
        photo.keywords, photo.placeholder, photo.thumbnail_key, photo.metadata,
    )


async def upsert_file(db: Queryable, *, library_id: UUID, path: str, photo_id: UUID | None,
                      content_hash: bytes | None, size: int, mtime_ns: int,
                      mime_type: str | None, status: str, error: str | None) -> UUID:
    """Record what is now at ``path``."""
    return await db.fetchval(
        """
        INSERT INTO photo_files (library_id, path, photo_id, content_hash, size, mtime_ns,
                                 mime_type, status, error)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (library_id, path) DO UPDATE SET
            photo_id = EXCLUDED.photo_id, content_hash = EXCLUDED.content_hash,
            size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns,
            mime_type = EXCLUDED.mime_type, status = EXCLUDED.status, error = EXCLUDED.error,
            updated_at = now()
        RETURNING id
        """,
        library_id, path, photo_id, content_hash, size, mtime_ns, mime_type, status, error,
    )


async def mark_missing(db: Queryable, library_id: UUID, paths: list[str]) -> list[KnownFile]:
    """Mark files gone from disk as missing (their photos stay); return those changed."""
    rows = await db.fetch(
        """
        UPDATE photo_files SET status = 'missing', updated_at = now()
        WHERE library_id = $1 AND path = ANY($2::text[]) AND status <> 'missing'
        RETURNING id, path, photo_id, content_hash, size, mtime_ns, status, mime_type
        """,
        library_id, paths,
    )
    return [_known(r) for r in rows]


async def delete_file(db: Queryable, file_id: UUID) -> None:
    await db.execute("DELETE FROM photo_files WHERE id = $1", file_id)


async def lock_path(db: Queryable, library_id: UUID, path: str) -> None:
    """Hold, until the transaction ends, the lock on one library path: importers in other
    server processes that see the same file wait here and then find it recorded."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('file:' || $1::uuid::text || ':' || $2, 0))",
        library_id, path,
    )

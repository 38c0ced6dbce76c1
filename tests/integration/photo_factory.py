"""Test photos without the importer: rows written through the store, files written for real.

Libraries and members are made over GraphQL (the real API); photos, files and model tags go
straight into the database, since the importer is tested on its own.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from PIL import Image

from photonix_rt.services.photo_media import thumbnail_path
from photonix_rt.store import photos as photos_store
from photonix_rt.store import tags as tags_store
from photonix_rt.store.db import Database
from photonix_rt.store.photos import NewPhoto

__all__ = ["Gql", "PhotoSpec", "add_photo", "add_tag", "data_of", "floating", "make_library",
           "write_thumbnail"]

Gql = Callable[..., Awaitable[dict[str, Any]]]


def floating(*parts: int) -> datetime:
    """A naive wall-clock time (no known zone), as cameras without offsets record it."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[misc]


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of a GraphQL response that must have no errors."""
    assert not body.get("errors"), body.get("errors")
    return body["data"]


async def make_library(gql: Gql, owner_token: str, name: str,
                       members: dict[str, str] | None = None) -> UUID:
    """A library owned by the token's user, with ``{username: ROLE}`` members added."""
    body = await gql("mutation($n: String!) { createLibrary(name: $n) { id } }",
                     {"n": name}, token=owner_token)
    library_id = data_of(body)["createLibrary"]["id"]
    for username, role in (members or {}).items():
        data_of(await gql(
            """mutation($l: ID!, $u: String!, $r: LibraryRole!) {
                 addLibraryMember(libraryId: $l, username: $u, role: $r) { role } }""",
            {"l": library_id, "u": username, "r": role}, token=owner_token))
    return UUID(library_id)


@dataclass
class PhotoSpec:
    """A photo's columns, with plain defaults; camera and lens by name."""

    taken_at: datetime | None = None        # aware: offset known; naive: floating
    camera: tuple[str, str] | None = None
    lens: str | None = None
    exposure_time: float | None = None
    aperture: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    flash: bool | None = None
    latitude: float | None = None
    longitude: float | None = None
    rating: int = 0
    width: int | None = 4000
    height: int | None = 3000
    keywords: tuple[str, ...] = ()
    thumbnail_key: str | None = None
    file_path: str | None = None


async def add_photo(db: Database, library_id: UUID, spec: PhotoSpec | None = None,
                    **changes: Any) -> UUID:
    """Insert a photo (and one file row for it); returns the photo id."""
    spec = spec or PhotoSpec()
    for name, value in changes.items():
        assert name in {f.name for f in fields(PhotoSpec)}, name
        setattr(spec, name, value)
    camera_id = lens_id = None
    if spec.camera:
        camera_id = await photos_store.upsert_camera(db, *spec.camera)
    if spec.lens:
        lens_id = await photos_store.upsert_lens(db, spec.lens)
    instant = local = offset = None
    if spec.taken_at is not None:
        local = spec.taken_at.replace(tzinfo=None)
        if spec.taken_at.tzinfo is None:  # floating: sorted as if its wall clock were UTC
            instant = spec.taken_at.replace(tzinfo=UTC)
        else:
            instant = spec.taken_at.astimezone(UTC)
            delta = spec.taken_at.utcoffset()
            assert delta is not None
            offset = int(delta.total_seconds() // 60)
    content = secrets.token_bytes(32)
    photo_id, created = await photos_store.insert_photo(db, NewPhoto(
        library_id=library_id, content_hash=hashlib.sha256(content).digest(),
        taken_at=instant, taken_at_local=local, taken_at_offset=offset, taken_at_zone=None,
        taken_at_source=None if spec.taken_at is None
        else ("offset" if offset is not None else "floating"),
        camera_id=camera_id, lens_id=lens_id, exposure_time=spec.exposure_time,
        aperture=spec.aperture, iso=spec.iso, focal_length=spec.focal_length,
        flash=spec.flash, metering_mode=None, latitude=spec.latitude,
        longitude=spec.longitude, altitude=None, orientation=1, width=spec.width,
        height=spec.height, rating=spec.rating, artist=None, description=None,
        keywords=list(spec.keywords), placeholder="placeholder-hash",
        thumbnail_key=spec.thumbnail_key, metadata={"EXIF:Make": "Test"},
    ))
    assert created
    await photos_store.upsert_file(
        db, library_id=library_id, path=spec.file_path or f"/photos/{photo_id}.jpg",
        photo_id=photo_id, content_hash=hashlib.sha256(content).digest(), size=1234,
        mtime_ns=0, mime_type="image/jpeg", status="ok", error=None)
    return photo_id


async def add_tag(db: Database, library_id: UUID, photo_id: UUID, name: str,
                  tag_type: str = "object", confidence: float = 0.9,
                  hidden: bool = False) -> UUID:
    """A model tag on the photo (as a classifier would put it); returns the tag id."""
    tag = await tags_store.get_or_create_tag(db, library_id, name, tag_type, "model")
    await db.execute(
        "INSERT INTO photo_tags (photo_id, tag_id, confidence, significance, model_version,"
        " hidden) VALUES ($1, $2, $3, $4, 'test-1', $5)",
        photo_id, tag.id, confidence, confidence, hidden)
    return tag.id


def write_thumbnail(thumbnails_dir: Path, key: str, size: str, colour: str = "red") -> bytes:
    """A real WebP where the worker would have written it; returns its bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "WEBP")
    path = thumbnail_path(thumbnails_dir, key, size)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()

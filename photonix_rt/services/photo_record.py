"""Turn a worker's ingest result into the photo row to store (dates, camera, lens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from photonix_rt.store.photos import NewPhoto
from workers.protocol import IngestResult, PhotoMetadata

__all__ = ["PhotoRecord", "photo_from_ingest", "resolve_taken_at"]


@dataclass
class PhotoRecord:
    photo: NewPhoto
    camera: tuple[str, str] | None
    lens: str | None


@dataclass(frozen=True)
class TakenAt:
    instant: datetime | None       # for sorting: exact, or the wall clock read as UTC
    local: datetime | None         # wall clock, naive
    offset_minutes: int | None
    zone: str | None
    source: str | None


def resolve_taken_at(meta: PhotoMetadata | None, mtime_ns: int) -> TakenAt:
    """When the photo was taken, saying how sure we are; file time as the last resort."""
    if meta is not None and meta.taken_at_local:
        local = datetime.fromisoformat(meta.taken_at_local).replace(tzinfo=None)
        offset = meta.taken_at_offset
        if offset is not None:
            instant = (local - timedelta(minutes=offset)).replace(tzinfo=UTC)
        else:
            instant = local.replace(tzinfo=UTC)  # floating: sorts by its wall clock
        return TakenAt(instant, local, offset, meta.taken_at_zone,
                       meta.taken_at_source or ("offset" if offset is not None else "floating"))
    instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=mtime_ns // 1000)
    return TakenAt(instant, instant.replace(tzinfo=None), 0, "UTC", "file")


def photo_from_ingest(library_id: UUID, content_hash: bytes, result: IngestResult,
                      mtime_ns: int) -> PhotoRecord:
    meta = result.metadata or PhotoMetadata()
    taken = resolve_taken_at(result.metadata, mtime_ns)
    camera = None
    if meta.camera_make or meta.camera_model:
        camera = ((meta.camera_make or "").strip(), (meta.camera_model or "").strip())
    photo = NewPhoto(
        library_id=library_id,
        content_hash=content_hash,
        taken_at=taken.instant,
        taken_at_local=taken.local,
        taken_at_offset=taken.offset_minutes,
        taken_at_zone=taken.zone,
        taken_at_source=taken.source,
        camera_id=None,
        lens_id=None,
        exposure_time=meta.exposure_time,
        aperture=meta.aperture,
        iso=meta.iso,
        focal_length=meta.focal_length,
        flash=meta.flash,
        metering_mode=meta.metering_mode,
        latitude=meta.latitude,
        longitude=meta.longitude,
        altitude=meta.altitude,
        orientation=meta.orientation,
        width=meta.width,
        height=meta.height,
        rating=max(0, min(5, meta.rating or 0)),
        artist=meta.artist,
        description=meta.description,
        keywords=list(meta.keywords),
        placeholder=result.placeholder,
        thumbnail_key=result.thumbnail_key,
        metadata=meta.raw,
    )
    return PhotoRecord(photo, camera, (meta.lens or "").strip() or None)

"""Picklable requests and results passed between the server and worker processes.

This is the only module of ``workers`` that the server imports. Everything here is plain
data (dataclasses of builtins) so it crosses a process boundary cheaply and safely.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TASKS", "THUMBNAIL_SIZES", "FileDigest", "IngestResult", "PhotoMetadata", "run_task"]

# Task name -> "module:function" run inside a worker process. The server submits
# ``run_task(name, ...)`` so that it never imports the heavy worker modules (Pillow codecs,
# exiv2, TensorFlow) itself: they are imported in the worker on first use.
TASKS: dict[str, str] = {
    "digest": "workers.ingest.hashing:digest_file",
    "ingest": "workers.ingest.pipeline:ingest_file",
    "install_models": "workers.models:install_all",
}


def run_task(name: str, *args: Any) -> Any:
    """Worker-side entry point: import the task's function (cached by Python) and call it."""
    module_name, _, function_name = TASKS[name].partition(":")
    return getattr(importlib.import_module(module_name), function_name)(*args)

# Name -> longest side in pixels. Thumbnails are WebP, upright, sRGB.
THUMBNAIL_SIZES: dict[str, int] = {"grid": 256, "preview": 1440}


@dataclass(frozen=True)
class FileDigest:
    """Identity of a file's bytes, computed before any decoding."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str  # sha256, hex


@dataclass
class PhotoMetadata:
    """What a photo's EXIF/XMP/IPTC says, already normalised to units the API uses."""

    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    # Date taken: the wall-clock time, its UTC offset (minutes) when known, and how it was
    # known: 'offset' (EXIF OffsetTime*), 'gps' (zone from the position), 'floating' (no zone).
    taken_at_local: str | None = None  # ISO 8601 without offset, e.g. 2018-02-28T07:16:25
    taken_at_offset: int | None = None
    taken_at_zone: str | None = None
    taken_at_source: str | None = None
    exposure_time: float | None = None  # seconds
    aperture: float | None = None  # f-number
    iso: int | None = None
    focal_length: float | None = None  # mm
    flash: bool | None = None
    metering_mode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None  # metres, negative below sea level
    orientation: int | None = None  # EXIF 1..8
    width: int | None = None  # as displayed, after orientation
    height: int | None = None
    rating: int | None = None  # 0..5
    artist: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # every tag read, JSON-safe


@dataclass
class IngestResult:
    """Outcome of reading one file: metadata and thumbnails, or an error and why."""

    path: str
    content_hash: str
    mime_type: str | None = None
    metadata: PhotoMetadata | None = None
    thumbnail_key: str | None = None  # names the thumbnail set under the thumbnails dir
    placeholder: str | None = None  # thumbhash, base64
    error: str | None = None  # set when the file could not be read as a photo

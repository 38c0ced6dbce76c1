"""Picklable requests and results passed between the server and worker processes.

This is the only module of ``workers`` that the server imports. Everything here is plain
data (dataclasses of builtins) so it crosses a process boundary cheaply and safely.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "RAW_MIME_TYPES",
    "TASKS",
    "THUMBNAIL_SIZES",
    "VIDEO_MIME_TYPES",
    "ClassifyInput",
    "ClassifyOutput",
    "FaceMatch",
    "FileDigest",
    "IngestResult",
    "JsonLogFormatter",
    "PhotoMetadata",
    "StageStatus",
    "StageTag",
    "init_worker_process",
    "media_kind",
    "run_task",
    "setup_worker_logging",
]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# Task name -> "module:function" run inside a worker process. The server submits
# ``run_task(name, ...)`` so that it never imports the heavy worker modules (Pillow codecs,
# exiv2, TensorFlow) itself: they are imported in the worker on first use.
TASKS: dict[str, str] = {
    "digest": "workers.ingest.hashing:digest_file",
    "ingest": "workers.ingest.pipeline:ingest_file",
    "preview": "workers.ingest.pipeline:make_preview",
    "thumbnails": "workers.ingest.pipeline:remake_thumbnails",
    "face_crop": "workers.ingest.derived:face_crop",
    "rotate_thumbnails": "workers.ingest.derived:rotate_thumbnails",
    "install_models": "workers.models:install_all",
    "setup_logging": "workers.protocol:setup_worker_logging",
    # Classification (workers/runner.py): initialise a pool process, tag, faces index.
    "init_classifiers": "workers.runner:init_worker",
    "classifier_report": "workers.runner:report",
    "classify": "workers.runner:classify",
    "face_index_build": "workers.runner:build_face_index",
    "face_index_match": "workers.runner:match_faces",
    # Test only: a worker that dies (SIGKILL) the first time, while a marker file exists.
    "classify_crash_once_for_tests": "workers.runner:classify_crash_once",
    # Test only: sleep first, so a test can kill a runner while the job is in flight.
    "classify_slow_for_tests": "workers.runner:classify_slow",
}


def init_worker_process(parent_pid: int, initializer: Any = None, *args: Any) -> None:
    """Pool initializer: die with the server, then run the pool's own initializer.

    A server killed with SIGKILL (or by the OOM killer) never shuts its pool down; without
    this its workers would live on as orphans holding memory and models.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    # Ctrl-C at the console reaches the whole process group: the server shuts the pool
    # down itself, so workers ignore SIGINT instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*args)


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line (``--log-format json``), for server and worker processes:
    time, level, logger, message, and ``request_id`` when the record carries one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid is not None:
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_worker_logging(log_format: str = "text", verbose: bool = False) -> None:
    """A worker process's logging: the server's format; warnings only unless ``verbose``."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter() if log_format == "json" else logging.Formatter(
        "%(asctime)s worker[%(process)d] %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])


def run_task(name: str, *args: Any) -> Any:
    """Worker-side entry point: import the task's function (cached by Python) and call it."""
    module_name, _, function_name = TASKS[name].partition(":")
    return getattr(importlib.import_module(module_name), function_name)(*args)

# The largest UTC offset a photo's time may carry (UTC+14:00): the importer refuses larger
# ones, and the server relies on it (a photo's instant is within this of its wall clock).
MAX_OFFSET_MINUTES = 14 * 60

# Camera RAW formats LibRaw reads, by file suffix, with the MIME type served for download.
RAW_MIME_TYPES: dict[str, str] = {
    ".dng": "image/x-adobe-dng", ".cr2": "image/x-canon-cr2", ".cr3": "image/x-canon-cr3",
    ".crw": "image/x-canon-crw", ".nef": "image/x-nikon-nef", ".nrw": "image/x-nikon-nrw",
    ".arw": "image/x-sony-arw", ".srf": "image/x-sony-srf", ".sr2": "image/x-sony-sr2",
    ".orf": "image/x-olympus-orf", ".rw2": "image/x-panasonic-rw2",
    ".raf": "image/x-fuji-raf", ".pef": "image/x-pentax-pef", ".srw": "image/x-samsung-srw",
    ".x3f": "image/x-sigma-x3f", ".3fr": "image/x-hasselblad-3fr", ".iiq": "image/x-phaseone-iiq",
    ".rwl": "image/x-leica-rwl", ".mrw": "image/x-minolta-mrw", ".erf": "image/x-epson-erf",
}
# Videos by suffix (the container; codecs are checked when the file is read).
VIDEO_MIME_TYPES: dict[str, str] = {
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
    ".webm": "video/webm", ".mkv": "video/x-matroska", ".3gp": "video/3gpp",
}


def media_kind(path: str) -> str:
    """'raw', 'video' or 'image', by the file's suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in RAW_MIME_TYPES:
        return "raw"
    if suffix in VIDEO_MIME_TYPES:
        return "video"
    return "image"


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
    media_type: str = "photo"  # or "video" (the poster frame made the thumbnails)
    duration_ms: int | None = None  # videos


@dataclass(frozen=True)
class StageStatus:
    """A classifier stage as a worker process loaded it (or why it could not)."""

    name: str
    version: str | None
    available: bool
    reason: str | None = None


@dataclass(frozen=True)
class ClassifyInput:
    """What a classifier may know about a photo besides its pixels (from the photo row)."""

    taken_at_local: str | None = None  # ISO 8601 wall clock where the photo was taken
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class StageTag:
    """One tag a stage found; ``extra`` holds e.g. a face's ``embedding`` (128 floats)."""

    name: str
    type: str  # colour, location, event, object, scene, person
    confidence: float
    significance: float | None = None
    box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions
    parent: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ClassifyOutput:
    """One stage's result for one photo."""

    stage: str
    version: str
    tags: list[StageTag] = field(default_factory=list)
    elapsed_ms: float = 0.0
    pid: int = 0


@dataclass(frozen=True)
class FaceMatch:
    """A stored face near a query face, with its exact Euclidean distance."""

    face_id: int
    distance: float

"""Which files of one shot belong together: a RAW or a live photo's clip and its still.

A camera set to RAW+JPEG writes ``IMG_0001.CR2`` and ``IMG_0001.JPG`` into one folder: one
photo with two files. The JPEG is the photo's face (previews, classification: the camera's
own rendering, and ~10x cheaper to decode); the RAW is another file of it, to download.
An iPhone live photo is ``IMG_0001.HEIC`` plus ``IMG_0001.MOV`` (a ~3 s clip): one photo
whose motion clip the viewer plays; a longer MOV, or one whose content identifier differs
from the still's, is a video of its own.

    companion = still_companion("/photos/IMG_0001.CR2", roots)  # "/photos/IMG_0001.JPG" or None
    companion = still_companion("/photos/IMG_0001.MOV", roots)  # "/photos/IMG_0001.HEIC" or None
    is_motion_clip(2900, clip_tags, still_tags)  # True: the clip belongs to the still

A RAW and a JPEG renamed apart (``DSC_0001.NEF`` beside ``holiday-1.jpg``) are still one shot
when they lie in one folder and carry the same capture time (to the second; to the
sub-second when both record it) from the same camera (make and model; body serial number
when both record it): ``shot_of`` says what to compare, ``same_shot`` compares.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workers.protocol import RAW_MIME_TYPES, media_kind
from workers.safe_files import is_inside

__all__ = [
    "COMPANION_SUFFIXES",
    "MAX_MOTION_MS",
    "SERIAL_KEY",
    "SUBSEC_KEY",
    "Shot",
    "is_motion_clip",
    "is_still",
    "raw_siblings",
    "same_shot",
    "shot_of",
    "sibling_role",
    "still_companion",
]

# What a camera writes beside a RAW, best first; tried in lower and upper case.
COMPANION_SUFFIXES = (".jpg", ".jpeg", ".heic", ".heif", ".hif")
# Live photos: the clip's container, and its longest length (iPhones record ~1.5 s on either
# side of the still); longer clips with the same name are videos of their own.
_MOTION_SUFFIXES = (".mov",)
MAX_MOTION_MS = 5000
# Where each side keeps Apple's content identifier: the clip in its QuickTime keys; the still
# in the Apple maker note's tag 0x0011 (exiftool's ContentIdentifier, MediaGroupUUID before
# 12.x), which exiv2 leaves undecoded: workers/ingest/makernotes.py reads it into
# Exif.Apple.ContentIdentifier; the exiftool fallback's names come after.
_CLIP_ID_KEYS = ("Video.com.apple.quicktime.content.identifier",)
_STILL_ID_KEYS = ("Exif.Apple.ContentIdentifier", "ExifTool.ContentIdentifier",
                  "ExifTool.MediaGroupUUID")


def still_companion(path: str, resolved_roots: list[str]) -> str | None:
    """Blocking: the JPEG/HEIC beside the RAW or MOV file ``path`` (same folder and base
    name) that stays inside the library's folders, or None (also for other files)."""
    stem, suffix = os.path.splitext(path)
    if media_kind(path) != "raw" and suffix.lower() not in _MOTION_SUFFIXES:
        return None
    for suffix in COMPANION_SUFFIXES:
        for candidate in (stem + suffix, stem + suffix.upper()):
            if os.path.isfile(candidate) and is_inside(os.path.realpath(candidate),
                                                       resolved_roots):
                return candidate
    return None


def raw_siblings(path: str) -> list[str]:
    """Blocking: RAW files and live-photo MOVs beside the JPEG/HEIC ``path`` with its base
    name (none for other files). Tried by name (a few stats), not by listing the folder:
    folders can be huge."""
    stem, suffix = os.path.splitext(path)
    if suffix.lower() not in COMPANION_SUFFIXES:
        return []
    found = []
    for raw_suffix in (*RAW_MIME_TYPES, *_MOTION_SUFFIXES):
        for candidate in (stem + raw_suffix, stem + raw_suffix.upper()):
            if os.path.isfile(candidate):
                found.append(candidate)
    return found


def sibling_role(path: str) -> str:
    """The role a sibling found by ``raw_siblings`` takes in the still's photo."""
    return "motion" if os.path.splitext(path)[1].lower() in _MOTION_SUFFIXES else "raw"


def _identifier(tags: dict[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = tags.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()
    return None


def is_motion_clip(duration_ms: int | None, clip_tags: dict[str, object],
                   still_tags: dict[str, object]) -> bool:
    """Whether a MOV beside a still is that still's live-photo clip: short, and carrying the
    same content identifier when both sides have one."""
    if duration_ms is None or duration_ms > MAX_MOTION_MS:
        return False
    clip_id = _identifier(clip_tags, _CLIP_ID_KEYS)
    still_id = _identifier(still_tags, _STILL_ID_KEYS)
    return clip_id is None or still_id is None or clip_id == still_id


# Raw tags (photos.metadata) that tell two shots of one second, and two bodies of one model.
SUBSEC_KEY = "Exif.Photo.SubSecTimeOriginal"
SERIAL_KEY = "Exif.Photo.BodySerialNumber"


def is_still(path: str) -> bool:
    """A JPEG/HEIC: what a camera writes beside a RAW (the photo's face)."""
    return os.path.splitext(path)[1].lower() in COMPANION_SUFFIXES


@dataclass(frozen=True)
class Shot:
    """What a RAW or a still is matched on with files of other names in its folder."""

    folder: str
    second: datetime  # the capture wall clock, to the second
    make: str
    model: str
    subsec: str | None
    serial: str | None


def _tag(tags: dict[str, Any], key: str) -> str | None:
    value = tags.get(key)
    text = str(value).strip() if value is not None else ""
    return text or None


def shot_of(path: str, taken_local: datetime | None, taken_source: str | None,
            camera: tuple[str, str] | None, tags: dict[str, Any]) -> Shot | None:
    """The shot of a RAW or JPEG/HEIC file, or None when it cannot be matched by time: other
    files, no capture time from its metadata (a file time says nothing), or no camera."""
    if media_kind(path) != "raw" and not is_still(path):
        return None
    if taken_local is None or taken_source in (None, "file") or camera is None:
        return None
    return Shot(os.path.dirname(path), taken_local.replace(microsecond=0), camera[0],
                camera[1], _tag(tags, SUBSEC_KEY), _tag(tags, SERIAL_KEY))


def _fraction(subsec: str) -> str:
    """'5', '50' and '500' are the same half second."""
    return subsec.rstrip("0") or "0"


def same_shot(shot: Shot, subsec: str | None, serial: str | None) -> bool:
    """Whether a file of ``shot``'s folder, second and camera (found so) with these
    sub-seconds and body serial is the same shot: each must agree when both sides have it."""
    if shot.subsec is not None and subsec is not None and (
            _fraction(shot.subsec) != _fraction(subsec.strip())):
        return False
    return shot.serial is None or serial is None or shot.serial == serial.strip()

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
"""

from __future__ import annotations

import os

from workers.protocol import RAW_MIME_TYPES, media_kind
from workers.safe_files import is_inside

__all__ = [
    "COMPANION_SUFFIXES",
    "MAX_MOTION_MS",
    "is_motion_clip",
    "raw_siblings",
    "sibling_role",
    "still_companion",
]

# What a camera writes beside a RAW, best first; tried in lower and upper case.
COMPANION_SUFFIXES = (".jpg", ".jpeg", ".heic", ".heif", ".hif")
# Live photos: the clip's container, and its longest length (iPhones record ~1.5 s on either
# side of the still); longer clips with the same name are videos of their own.
_MOTION_SUFFIXES = (".mov",)
MAX_MOTION_MS = 5000
# Where each side keeps Apple's content identifier (the clip: a QuickTime key; the still: the
# Apple maker note's tag 0x0011, as exiv2 or exiftool name it).
_CLIP_ID_KEYS = ("Video.com.apple.quicktime.content.identifier",)
_STILL_ID_KEYS = ("Exif.Apple.0x0011", "Exif.Apple.ContentIdentifier",
                  "ExifTool.ContentIdentifier", "Xmp.apple-fi.ContentIdentifier")


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

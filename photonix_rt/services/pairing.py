"""Which files of one shot belong together: a RAW and the JPEG (or HEIC) beside it.

A camera set to RAW+JPEG writes ``IMG_0001.CR2`` and ``IMG_0001.JPG`` into one folder: one
photo with two files. The JPEG is the photo's face (previews, classification: the camera's
own rendering, and ~10x cheaper to decode); the RAW is another file of it, to download.

    companion = raw_companion("/photos/IMG_0001.CR2", roots)  # "/photos/IMG_0001.JPG" or None
"""

from __future__ import annotations

import os

from workers.protocol import RAW_MIME_TYPES, media_kind
from workers.safe_files import is_inside

__all__ = ["COMPANION_SUFFIXES", "raw_companion", "raw_siblings"]

# What a camera writes beside a RAW, best first; tried in lower and upper case.
COMPANION_SUFFIXES = (".jpg", ".jpeg", ".heic", ".heif", ".hif")


def raw_companion(path: str, resolved_roots: list[str]) -> str | None:
    """Blocking: the JPEG/HEIC beside the RAW file ``path`` (same folder and base name) that
    stays inside the library's folders, or None (also for a file that is not RAW)."""
    if media_kind(path) != "raw":
        return None
    stem = os.path.splitext(path)[0]
    for suffix in COMPANION_SUFFIXES:
        for candidate in (stem + suffix, stem + suffix.upper()):
            if os.path.isfile(candidate) and is_inside(os.path.realpath(candidate),
                                                       resolved_roots):
                return candidate
    return None


def raw_siblings(path: str) -> list[str]:
    """Blocking: RAW files beside the JPEG/HEIC ``path`` with its base name (none for other
    files). Tried by name (a few stats), not by listing the folder: folders can be huge."""
    stem, suffix = os.path.splitext(path)
    if suffix.lower() not in COMPANION_SUFFIXES:
        return []
    found = []
    for raw_suffix in RAW_MIME_TYPES:
        for candidate in (stem + raw_suffix, stem + raw_suffix.upper()):
            if os.path.isfile(candidate):
                found.append(candidate)
    return found

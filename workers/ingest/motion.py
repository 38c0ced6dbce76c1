"""Android motion photos: a JPEG (or HEIC) with its short MP4 clip appended to the file.

Google's format says where the clip starts in XMP: a ``Container:Directory`` item with
``Item:Semantic="MotionPhoto"`` and its ``Item:Length`` (bytes from the end of the file), or
the older ``GCamera:MicroVideoOffset``. The clip is checked (an MP4 ``ftyp`` box where the
XMP says) and written beside the thumbnails as ``motion.mp4``, so the viewer can play it
without the server cutting the original at every request.

    clip = embedded_clip(data, metadata.raw)      # (start, length) or None
    write_motion_clip(out_dir, key, data[start:start + length])
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

__all__ = ["MOTION_CLIP_NAME", "embedded_clip", "motion_clip_path", "write_motion_clip"]

MOTION_CLIP_NAME = "motion.mp4"
_DIRECTORY = "Xmp.Container.Directory[{}]/Container:Item/Item:{}"
_MAX_ITEMS = 16


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def embedded_clip(data: bytes, tags: dict[str, Any]) -> tuple[int, int] | None:
    """Where the appended clip lies in ``data`` (start, length), from the file's XMP."""
    length = None
    for i in range(1, _MAX_ITEMS + 1):
        semantic = tags.get(_DIRECTORY.format(i, "Semantic"))
        if semantic is None:
            break
        if str(semantic) == "MotionPhoto":
            length = _int(tags.get(_DIRECTORY.format(i, "Length")))
            break
    if length is None and str(tags.get("Xmp.GCamera.MicroVideo", "")) == "1":
        length = _int(tags.get("Xmp.GCamera.MicroVideoOffset"))
    if length is None or length >= len(data):
        return None
    start = len(data) - length
    if data[start + 4:start + 8] != b"ftyp":  # not an MP4 where the XMP says: ignore it
        return None
    return start, length


def motion_clip_path(out_dir: str, key: str) -> str:
    return os.path.join(out_dir, key[:2], key, MOTION_CLIP_NAME)


def write_motion_clip(out_dir: str, key: str, clip: bytes) -> None:
    """Write the clip beside the photo's thumbnails (atomically, like them)."""
    path = motion_clip_path(out_dir, key)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".mp4")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(clip)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise

"""One file in, one :class:`IngestResult` out: read metadata, write thumbnails.

Runs in worker processes (top-level functions with picklable arguments and results). They
never raise: any failure becomes ``IngestResult.error`` (or the returned reason), short.

By default one decode makes every thumbnail size (cheapest in total: bulk imports). With
``grid_first`` only the grid thumbnail and placeholder are made, from a decode at grid size
(JPEGs DCT-scaled to 1/8), so a photo someone is waiting for can be announced about 2x
sooner; the 1440 px preview is then a second task (``make_preview``), ~40% more CPU in all.

    result = ingest_file("/photos/a.jpg", digest.content_hash, "/data/thumbnails")
    result = ingest_file("/photos/a.jpg", digest.content_hash, "/data/thumbnails", grid_first=True)
    error = make_preview("/photos/a.jpg", result.thumbnail_key, "/data/thumbnails", ["/photos"])
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from workers.ingest.decode import DecodedImage, ImageError, decode_image
from workers.ingest.exiftool_fallback import fill_missing
from workers.ingest.metadata import metadata_from_bytes
from workers.ingest.motion import embedded_clip, write_motion_clip
from workers.ingest.raw import decode_raw
from workers.ingest.thumbnails import write_thumbnails
from workers.ingest.video import VideoInfo, read_video, write_frames
from workers.protocol import (
    RAW_MIME_TYPES,
    THUMBNAIL_SIZES,
    VIDEO_MIME_TYPES,
    IngestResult,
    PhotoMetadata,
    media_kind,
)
from workers.safe_files import OutsideLibrary, open_inside

__all__ = ["GRID", "PREVIEW", "ingest_file", "make_preview", "remake_thumbnails"]

log = logging.getLogger(__name__)

GRID = "grid"
PREVIEW = "preview"


def _decode(path: str, data: bytes, max_side: int) -> DecodedImage:
    """A RAW file through LibRaw (by its suffix), anything else through Pillow."""
    if media_kind(path) == "raw":
        suffix = os.path.splitext(path)[1].lower()
        return decode_raw(data, max_side, RAW_MIME_TYPES[suffix])
    return decode_image(data, max_side)


def _poster_image(path: str, video: VideoInfo) -> DecodedImage:
    """A video's poster frame (already upright) as what thumbnails are made from."""
    mime = VIDEO_MIME_TYPES.get(os.path.splitext(path)[1].lower(), "video/mp4")
    return DecodedImage(video.poster, "VIDEO", mime, video.poster.size, 1, upright=True,
                        icc_profile=None)


def _keep_motion_clip(data: bytes, metadata: PhotoMetadata, thumbnails_dir: str,
                      key: str) -> None:
    """An Android motion photo's appended clip, written beside the thumbnails; its length
    goes into the raw metadata (how the server knows the photo has one)."""
    clip = embedded_clip(data, metadata.raw)
    if clip is None:
        return
    start, length = clip
    write_motion_clip(thumbnails_dir, key, data[start:start + length])
    metadata.raw["MotionPhoto.Length"] = length


def ingest_file(path: str, content_hash: str, thumbnails_dir: str,
                roots: Sequence[str] | None = None, grid_first: bool = False) -> IngestResult:
    """Metadata, thumbnails (keyed by ``content_hash``; only the grid one when
    ``grid_first``) and placeholder of the photo at ``path``.

    ``roots``: the library's folders (default: the file's own folder); a file that is, or
    resolves through, a link leading out of them is refused, not read.
    """
    names = (GRID,) if grid_first else tuple(THUMBNAIL_SIZES)
    result = IngestResult(path=path, content_hash=content_hash)
    try:
        with os.fdopen(open_inside(roots or [os.path.dirname(path)], path), "rb") as f:
            if media_kind(path) == "video":
                video = read_video(f)  # streamed from the open file, not read whole
                decoded = _poster_image(path, video)
                metadata = video.metadata
                result.media_type, result.duration_ms = "video", video.duration_ms
                write_frames(thumbnails_dir, content_hash, video.frames)
            else:
                data = f.read()
                decoded = _decode(path, data, max(THUMBNAIL_SIZES[n] for n in names))
                # exiv2 parses the same bytes; the pixels are decoded only once here.
                # exiftool (when exiv2 found no date or camera) reads the file already open.
                metadata = fill_missing(
                    metadata_from_bytes(data, decoded.stored_size, upright=decoded.upright),
                    f.fileno())
                _keep_motion_clip(data, metadata, thumbnails_dir, content_hash)
        width, height, placeholder = write_thumbnails(decoded, thumbnails_dir, content_hash,
                                                      names)
    except ImageError as exc:
        result.error = exc.reason
        return result
    except OutsideLibrary:
        log.warning("refusing %s: it leads out of the library's folders", path)
        result.error = "not inside the library's folders"
        return result
    except OSError as exc:  # the file itself: gone, unreadable, disk full for thumbnails
        log.warning("ingest of %s failed: %s", path, exc)
        result.error = f"cannot read file: {exc.strerror or exc}"
        return result
    except Exception as exc:  # the worker's task boundary: report, never crash the pool
        log.exception("ingest of %s failed unexpectedly", path)
        result.error = f"unexpected error: {type(exc).__name__}: {exc}"[:200]
        return result
    metadata.width, metadata.height = width, height
    result.mime_type = decoded.mime_type
    result.metadata = metadata
    result.thumbnail_key = content_hash
    result.placeholder = placeholder
    return result


def make_preview(path: str, key: str, thumbnails_dir: str,
                 roots: Sequence[str] | None = None) -> str | None:
    """Write the preview thumbnail of the photo at ``path``; None, or why it failed.

    ``roots`` as for ``ingest_file``: this runs after the import (seconds, or days when the
    job runner remakes a lost preview), so the file is checked again at this read.
    """
    try:
        with os.fdopen(open_inside(roots or [os.path.dirname(path)], path), "rb") as f:
            if media_kind(path) == "video":
                decoded = _poster_image(path, read_video(f))
            else:
                decoded = _decode(path, f.read(), THUMBNAIL_SIZES[PREVIEW])
        write_thumbnails(decoded, thumbnails_dir, key, (PREVIEW,))
    except ImageError as exc:
        return exc.reason
    except OutsideLibrary:
        log.warning("refusing %s: it leads out of the library's folders", path)
        return "not inside the library's folders"
    except OSError as exc:
        log.warning("preview of %s failed: %s", path, exc)
        return f"cannot read file: {exc.strerror or exc}"
    except Exception as exc:  # the worker's task boundary: report, never crash the pool
        log.exception("preview of %s failed unexpectedly", path)
        return f"unexpected error: {type(exc).__name__}: {exc}"[:200]
    return None


def remake_thumbnails(path: str, key: str, thumbnails_dir: str,
                      roots: Sequence[str]) -> str | None:
    """Every thumbnail size of a known photo again (after a restore, which leaves them out);
    None, or why not. The file must still lie inside ``roots``."""
    try:
        with os.fdopen(open_inside(roots, path), "rb") as f:
            data = f.read()
        decoded = decode_image(data, max(THUMBNAIL_SIZES.values()))
        write_thumbnails(decoded, thumbnails_dir, key, tuple(THUMBNAIL_SIZES))
    except ImageError as exc:
        return exc.reason
    except OutsideLibrary:
        return "not inside the library's folders"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    except Exception as exc:  # the worker's task boundary: report, never crash the pool
        log.exception("thumbnails of %s failed unexpectedly", path)
        return f"unexpected error: {type(exc).__name__}: {exc}"[:200]
    return None

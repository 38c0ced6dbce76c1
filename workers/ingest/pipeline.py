"""One file in, one :class:`IngestResult` out: decode once, read metadata, write thumbnails.

Runs in worker processes (a top-level function with picklable arguments and result). It
never raises: any failure becomes ``IngestResult.error``, a short reason.

    result = ingest_file("/photos/a.jpg", digest.content_hash, "/data/thumbnails")
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from workers.ingest.decode import ImageError, decode_image
from workers.ingest.metadata import metadata_from_bytes
from workers.ingest.thumbnails import write_thumbnails
from workers.protocol import THUMBNAIL_SIZES, IngestResult
from workers.safe_files import OutsideLibrary, open_inside

__all__ = ["ingest_file"]

log = logging.getLogger(__name__)


def ingest_file(path: str, content_hash: str, thumbnails_dir: str,
                roots: Sequence[str] | None = None) -> IngestResult:
    """Metadata, thumbnails (keyed by ``content_hash``) and placeholder of the photo at ``path``.

    ``roots``: the library's folders (default: the file's own folder); a file that is, or
    resolves through, a link leading out of them is refused, not read.
    """
    result = IngestResult(path=path, content_hash=content_hash)
    try:
        with os.fdopen(open_inside(roots or [os.path.dirname(path)], path), "rb") as f:
            data = f.read()
        decoded = decode_image(data, max(THUMBNAIL_SIZES.values()))
        # exiv2 parses the same bytes; the pixels are decoded only once, above.
        metadata = metadata_from_bytes(data, decoded.stored_size, upright=decoded.upright)
        width, height, placeholder = write_thumbnails(decoded, thumbnails_dir, content_hash)
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

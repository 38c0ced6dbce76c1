"""Decode a camera RAW file (CR2, CR3, NEF, ARW, DNG, ORF, RW2, RAF, PEF...) with LibRaw.

The embedded JPEG preview is used when it is large enough for the wanted size (fast: a JPEG
decode, DCT-scaled); otherwise the mosaic is demosaiced at half size (LibRaw's half_size:
one output pixel per 2x2 Bayer cell, ~4x less work than full size, still >= 1440 px for any
camera of the last 15 years). The preview carries no orientation of its own, so LibRaw's
``flip`` becomes the EXIF orientation to apply; the demosaiced image comes out upright.

    decoded = decode_raw(data, max_side=1440, mime_type="image/x-adobe-dng")
"""

from __future__ import annotations

import io
import logging

import numpy as np
import rawpy
from PIL import Image

from workers.ingest.decode import MAX_PIXELS, DecodedImage, ImageError, decode_image

__all__ = ["decode_raw"]

log = logging.getLogger(__name__)

# LibRaw's flip -> EXIF orientation (0: none, 3: 180°, 5: 90° counter-clockwise, 6: 90° cw).
_FLIP_TO_ORIENTATION = {0: 1, 3: 3, 5: 8, 6: 6}


def _preview(raw: rawpy.RawPy, needed: int) -> Image.Image | None:
    """The embedded preview if its longest side reaches ``needed``, else None."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
        return None
    except rawpy.LibRawError as exc:
        log.debug("embedded preview unreadable: %s", exc)
        return None
    if thumb.format == rawpy.ThumbFormat.JPEG:
        try:
            image = decode_image(thumb.data, needed).image
        except ImageError:
            return None
    elif thumb.format == rawpy.ThumbFormat.BITMAP:
        image = Image.fromarray(np.ascontiguousarray(thumb.data), "RGB")
    else:
        return None
    return image if max(image.size) >= needed else None


def decode_raw(data: bytes, max_side: int, mime_type: str) -> DecodedImage:
    """Decode RAW ``data`` for thumbnails no larger than ``max_side``."""
    try:
        with rawpy.imread(io.BytesIO(data)) as raw:
            sizes = raw.sizes
            if sizes.raw_width * sizes.raw_height > MAX_PIXELS:
                raise ImageError(f"decompression bomb: {sizes.raw_width * sizes.raw_height} "
                                 "pixels")
            stored = (sizes.width, sizes.height)  # as the sensor lies, before the flip
            if stored[0] <= 0 or stored[1] <= 0:
                raise ImageError("corrupt RAW: empty picture")
            orientation = _FLIP_TO_ORIENTATION.get(sizes.flip, 1)
            preview = _preview(raw, min(max_side, max(stored)))
            if preview is not None:
                return DecodedImage(preview, "RAW", mime_type, stored, orientation,
                                    upright=False, icc_profile=None)
            rgb = raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8)
    except ImageError:
        raise
    except rawpy.LibRawError as exc:
        raise ImageError(f"corrupt RAW: {type(exc).__name__}: {exc}"[:200]) from exc
    except (OSError, ValueError) as exc:  # LibRaw's own I/O errors on a truncated file
        raise ImageError(f"corrupt RAW: {exc}"[:200]) from exc
    image = Image.fromarray(rgb, "RGB")
    # LibRaw turned the pixels already: the full size as displayed is the stored one turned.
    upright = stored if orientation in (1, 3) else (stored[1], stored[0])
    return DecodedImage(image, "RAW", mime_type, upright, 1, upright=True, icc_profile=None)

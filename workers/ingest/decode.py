"""Decode an image file once, at reduced size where the format allows, refusing bombs.

    decoded = decode_image(data, max_side=1440)
    decoded.image        # a loaded Pillow image, JPEGs already reduced by DCT scaling
    decoded.stored_size  # full pixel size as stored (before EXIF orientation)

Failures raise :class:`ImageError` with a short reason fit for a file's error column.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import warnings
import zlib
from dataclasses import dataclass

import numpy as np
import tifffile
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

__all__ = ["ALLOWED_FORMATS", "MAX_PIXELS", "DecodedImage", "ImageError", "decode_image"]

log = logging.getLogger(__name__)

# Big enough for 200 MP phone sensors and stitched panoramas, small enough to refuse files
# that claim absurd sizes to exhaust a worker's memory.
MAX_PIXELS = 250_000_000
# Formats of photos (Pillow names). Limiting identification also skips probing exotic plugins.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "HEIF", "AVIF", "GIF", "BMP")
_EXIF_ORIENTATION = 0x0112
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")
# Pillow's MIME names where they differ from what browsers and servers expect.
_MIME_OVERRIDES = {"MPO": "image/jpeg"}


class ImageError(Exception):
    """The file cannot be used as a photo; ``reason`` is short and safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class DecodedImage:
    """A loaded image and the facts about it that thumbnails and metadata need."""

    image: Image.Image
    format: str  # Pillow's name: JPEG, PNG, TIFF, HEIF...
    mime_type: str
    stored_size: tuple[int, int]  # full size in the file, before EXIF orientation
    orientation: int  # EXIF orientation still to apply to ``image`` (1: none)
    upright: bool  # the decoder already applied the file's rotation (HEIF irot/imir)
    icc_profile: bytes | None


@functools.cache
def _setup() -> tuple[str, ...]:
    """Once per process: HEIF/HEIC through libheif, our bomb limit; the openable formats."""
    register_heif_opener()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    Image.init()
    # MPO files are identified by the JPEG opener, so only JPEG is listed among openers.
    return tuple(name for name in ALLOWED_FORMATS if name in Image.OPEN)


def _reason(exc: BaseException, fmt: str | None) -> str:
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        pixels = _BOMB_PIXELS.search(str(exc))
        return f"decompression bomb: {pixels.group(1) if pixels else '?'} pixels"
    message = str(exc)
    if "truncated" in message or "premature end" in message.lower():
        return f"truncated {fmt or 'image'}"
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"corrupt {fmt or 'image'}: {text}"[:200]


def _check_size(size: tuple[int, int]) -> None:
    pixels = size[0] * size[1]
    if pixels > MAX_PIXELS:
        raise ImageError(f"decompression bomb: {pixels} pixels")
    if pixels <= 0:
        raise ImageError("corrupt image: empty picture")


def _draft_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    # The smallest size whose longest side still reaches max_side, in the same aspect, so
    # DCT scaling (1/2, 1/4, 1/8) can go as far as the target allows.
    longest = max(size)
    if longest <= max_side:
        return size
    return (max(1, size[0] * max_side // longest), max(1, size[1] * max_side // longest))


def _open_tiff_fallback(data: bytes) -> Image.Image | None:
    """TIFF layouts Pillow cannot read (CMYK with an extra alpha sample, ...) via tifffile."""
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tif:
            page = tif.pages[0]
            _check_size((int(page.imagewidth), int(page.imagelength)))
            array = page.asarray()
            photometric = page.photometric
    except (tifffile.TiffFileError, ValueError, KeyError, IndexError, zlib.error) as exc:
        log.debug("tifffile could not read the file either: %s", exc)
        return None
    if array.dtype != np.uint8:
        array = _to_uint8(array)
    if array.ndim == 2:
        return Image.fromarray(array, "L")
    channels = array.shape[-1]
    if photometric == tifffile.PHOTOMETRIC.SEPARATED and channels >= 4:
        return Image.fromarray(np.ascontiguousarray(array[..., :4]), "CMYK")
    if channels >= 4:
        return Image.fromarray(np.ascontiguousarray(array[..., :4]), "RGBA")
    if channels == 3:
        return Image.fromarray(array, "RGB")
    return Image.fromarray(np.ascontiguousarray(array[..., 0]), "L")


def _to_uint8(array: np.ndarray) -> np.ndarray:
    if np.issubdtype(array.dtype, np.floating):
        return (np.clip(array, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    bits = array.dtype.itemsize * 8
    return (array.astype(np.uint64) >> (bits - 8)).astype(np.uint8)


def decode_image(data: bytes, max_side: int) -> DecodedImage:
    """Decode ``data`` at no less than ``max_side`` on the longest side (full size if smaller)."""
    formats = _setup()
    fmt: str | None = None
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            try:
                image = Image.open(io.BytesIO(data), formats=formats)
            except UnidentifiedImageError:
                image = _open_tiff_fallback(data) if data[:4] in (b"II*\0", b"MM\0*") else None
                if image is None:
                    raise ImageError("not an image: cannot identify image file") from None
                fmt = "TIFF"
                return DecodedImage(
                    image, fmt, "image/tiff", image.size, 1, upright=False, icc_profile=None
                )
            fmt = image.format or "image"
            stored_size = image.size
            _check_size(stored_size)
            upright = fmt in ("HEIF", "AVIF")  # libheif applies irot/imir itself
            orientation = 1
            if not upright:
                value = image.getexif().get(_EXIF_ORIENTATION)
                orientation = value if isinstance(value, int) and 1 <= value <= 8 else 1
            if fmt in ("JPEG", "MPO"):
                image.draft("RGB", _draft_size(stored_size, max_side))
            icc = image.info.get("icc_profile") or None
            mime = _MIME_OVERRIDES.get(fmt) or image.get_format_mimetype() or "image/" + fmt.lower()
            image.load()
        except ImageError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning,
                Image.DecompressionBombError, zlib.error) as exc:
            raise ImageError(_reason(exc, fmt)) from exc
    return DecodedImage(image, fmt, mime, stored_size, orientation, upright, icc)


"""Bring any decoded image to 8-bit sRGB (RGB or RGBA): modes, bit depths and ICC profiles.

    image = normalise_mode(image)            # before resizing: 16-bit, palette, 1-bit...
    image = to_srgb(image, icc_profile)      # after resizing: fewer pixels to transform
"""

from __future__ import annotations

import hashlib
import io
import logging

import numpy as np
from PIL import Image, ImageCms

__all__ = ["normalise_mode", "to_srgb"]

log = logging.getLogger(__name__)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Modes resize handles well and to_srgb knows how to finish.
_KEPT_MODES = frozenset({"RGB", "RGBA", "L", "CMYK"})
_MAX_CACHED_TRANSFORMS = 16
# Profile digest + mode -> transform, or None when the profile is sRGB already (no work).
_transforms: dict[tuple[bytes, str], ImageCms.ImageCmsTransform | None] = {}


def _scale_to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale scaled (not clipped, as ``convert('L')`` does) to 8-bit."""
    array = np.asarray(image)
    if array.dtype.kind == "f":
        top = float(array.max()) if array.size else 1.0
        scale = 255.0 / (top if top > 1.0 else 1.0)
        return Image.fromarray(np.clip(array * scale + 0.5, 0, 255).astype(np.uint8), "L")
    top = int(array.max()) if array.size else 0
    shift = 8 if top > 255 else 0  # 'I' images may hold 8-bit data; keep those as they are
    return Image.fromarray((array.astype(np.uint32) >> shift).clip(0, 255).astype(np.uint8), "L")


def normalise_mode(image: Image.Image) -> Image.Image:
    """An equivalent image in RGB, RGBA, L or CMYK (CMYK waits for its profile)."""
    mode = image.mode
    if mode in _KEPT_MODES:
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _scale_to_8bit(image)
    if mode == "P":
        has_alpha = "transparency" in image.info or image.palette.mode == "RGBA"
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode in ("LA", "La", "PA", "RGBa"):
        return image.convert("RGBA")
    if mode == "1":
        return image.convert("L")
    return image.convert("RGB")  # YCbCr, LAB, HSV, RGBX


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    description = ImageCms.getProfileDescription(profile) or ""
    return "srgb" in description.lower()


def _transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    key = (hashlib.blake2b(icc, digest_size=16).digest(), mode)
    if key in _transforms:
        return _transforms[key]
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    transform = None
    if not (mode in ("RGB", "RGBA") and _is_srgb(source)):
        out_mode = "RGBA" if mode == "RGBA" else "RGB"
        transform = ImageCms.buildTransform(
            source, _SRGB, mode, out_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    if len(_transforms) >= _MAX_CACHED_TRANSFORMS:
        _transforms.pop(next(iter(_transforms)))
    _transforms[key] = transform
    return transform


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The image in 8-bit sRGB, RGB or RGBA, through its embedded ICC profile when it has one."""
    image = normalise_mode(image)
    if icc_profile:
        try:
            transform = _transform(icc_profile, image.mode)
            if transform is not None:
                converted = ImageCms.applyTransform(image, transform)
                if converted is not None:
                    image = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            # A broken or mismatched profile (RGB profile on a CMYK image): convert plainly.
            log.debug("ICC profile not applied: %s", exc)
    if image.mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGB")

"""ThumbHash encoder (numpy): a ~25-byte placeholder that browsers decode into a blurry preview.

The format is Evan Wallace's ThumbHash: average colour and a few DCT terms of luminance (L),
two chroma channels (P: yellow-blue, Q: red-green) and alpha, packed as 4-bit values.

    encode_thumbhash(rgba_array)   # uint8 array, shape (h, w, 4) or (h, w, 3), h, w <= 100
"""

from __future__ import annotations

import base64

import numpy as np
from PIL import Image

__all__ = ["MAX_SIDE", "encode_thumbhash", "thumbhash_of_image"]

MAX_SIDE = 100  # more pixels do not change the hash and cost time


def _dct_terms(channel: np.ndarray, nx: int, ny: int) -> tuple[float, list[float], float]:
    """DC, the AC terms in ThumbHash order (a triangle, row by row) scaled to 0..1, and scale."""
    h, w = channel.shape
    cos_x = np.cos(np.pi / w * np.outer(np.arange(nx), np.arange(w) + 0.5))  # (nx, w)
    cos_y = np.cos(np.pi / h * np.outer(np.arange(ny), np.arange(h) + 0.5))  # (ny, h)
    terms = cos_y @ channel @ cos_x.T / (w * h)  # (ny, nx): terms[cy, cx]
    dc = float(terms[0, 0])
    ac = [
        float(terms[cy, cx])
        for cy in range(ny)
        for cx in range(nx)
        if cx * ny < nx * (ny - cy) and (cx or cy)
    ]
    scale = max((abs(v) for v in ac), default=0.0)
    if scale:
        ac = [0.5 + 0.5 / scale * v for v in ac]
    return dc, ac, scale


def encode_thumbhash(pixels: np.ndarray) -> bytes:
    """The ThumbHash bytes of an (h, w, 3|4) uint8 image no larger than 100x100."""
    h, w = pixels.shape[:2]
    if not (0 < w <= MAX_SIDE and 0 < h <= MAX_SIDE):
        raise ValueError(f"{w}x{h} does not fit in {MAX_SIDE}x{MAX_SIDE}")
    rgb = pixels[..., :3].astype(np.float64) / 255.0
    has_alpha_channel = pixels.shape[2] == 4
    alpha = pixels[..., 3].astype(np.float64) / 255.0 if has_alpha_channel else np.ones((h, w))

    # Average colour, weighted by alpha; transparent pixels are composited onto it.
    total_alpha = float(alpha.sum())
    if total_alpha:
        average = (rgb * alpha[..., None]).sum(axis=(0, 1)) / total_alpha
    else:
        average = np.zeros(3)
    has_alpha = total_alpha < w * h
    rgb = average * (1.0 - alpha[..., None]) + rgb * alpha[..., None]
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]

    # Fewer luminance terms when alpha needs room; spread them by aspect ratio.
    l_limit = 5 if has_alpha else 7
    lx = max(1, round(l_limit * w / max(w, h)))
    ly = max(1, round(l_limit * h / max(w, h)))
    l_dc, l_ac, l_scale = _dct_terms((r + g + b) / 3, max(3, lx), max(3, ly))
    p_dc, p_ac, p_scale = _dct_terms((r + g) / 2 - b, 3, 3)
    q_dc, q_ac, q_scale = _dct_terms(r - g, 3, 3)

    is_landscape = w > h
    header24 = (
        round(63 * l_dc)
        | (round(31.5 + 31.5 * p_dc) << 6)
        | (round(31.5 + 31.5 * q_dc) << 12)
        | (round(31 * l_scale) << 18)
        | (int(has_alpha) << 23)
    )
    header16 = (
        (ly if is_landscape else lx)
        | (round(63 * p_scale) << 3)
        | (round(63 * q_scale) << 9)
        | (int(is_landscape) << 15)
    )
    out = bytearray(
        [header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8]
    )
    channels = [l_ac, p_ac, q_ac]
    if has_alpha:
        a_dc, a_ac, a_scale = _dct_terms(alpha, 5, 5)
        out.append(round(15 * a_dc) | (round(15 * a_scale) << 4))
        channels.append(a_ac)

    # Two 4-bit AC values per byte, low nibble first.
    nibbles = [round(15 * v) for ac in channels for v in ac]
    if len(nibbles) % 2:
        nibbles.append(0)
    out.extend(lo | (hi << 4) for lo, hi in zip(nibbles[::2], nibbles[1::2], strict=True))
    return bytes(out)


def thumbhash_of_image(image: Image.Image) -> str:
    """Base64 ThumbHash of a Pillow image of any size (reduced to 100x100 first)."""
    small = image
    longest = max(image.size)
    if longest > MAX_SIDE:
        size = (
            max(1, round(image.width * MAX_SIDE / longest)),
            max(1, round(image.height * MAX_SIDE / longest)),
        )
        small = image.resize(size, Image.Resampling.BILINEAR)
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert("RGBA" if "A" in small.mode else "RGB")
    return base64.b64encode(encode_thumbhash(np.asarray(small))).decode("ascii")

"""ThumbHash encoder: decoded back (with a decoder written here), it reproduces the image."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest
from PIL import Image

from workers.ingest.thumbhash import encode_thumbhash, thumbhash_of_image


def _decode(hash_: bytes) -> tuple[np.ndarray, float]:
    """Decode a ThumbHash into (rgba float image in 0..1, approximate aspect ratio)."""
    header24 = hash_[0] | (hash_[1] << 8) | (hash_[2] << 16)
    header16 = hash_[3] | (hash_[4] << 8)
    l_dc = (header24 & 63) / 63
    p_dc = ((header24 >> 6) & 63) / 31.5 - 1
    q_dc = ((header24 >> 12) & 63) / 31.5 - 1
    l_scale = ((header24 >> 18) & 31) / 31
    has_alpha = bool(header24 >> 23)
    p_scale = ((header16 >> 3) & 63) / 63
    q_scale = ((header16 >> 9) & 63) / 63
    landscape = bool(header16 >> 15)
    lx = max(3, (5 if has_alpha else 7) if landscape else header16 & 7)
    ly = max(3, header16 & 7 if landscape else (5 if has_alpha else 7))
    a_dc = (hash_[5] & 15) / 15 if has_alpha else 1.0
    a_scale = (hash_[5] >> 4) / 15 if has_alpha else 0.0
    start = 6 if has_alpha else 5
    index = 0

    def channel(nx: int, ny: int, scale: float) -> list[tuple[int, int, float]]:
        nonlocal index
        terms = []
        for cy in range(ny):
            for cx in range(0 if cy else 1, nx):
                if cx * ny >= nx * (ny - cy):
                    break
                nibble = (hash_[start + (index >> 1)] >> ((index & 1) * 4)) & 15
                terms.append((cx, cy, (nibble / 7.5 - 1) * scale))
                index += 1
        return terms

    l_ac = channel(lx, ly, l_scale)
    p_ac = channel(3, 3, p_scale * 1.25)
    q_ac = channel(3, 3, q_scale * 1.25)
    a_ac = channel(5, 5, a_scale) if has_alpha else []

    ratio = lx / ly
    w = 32 if ratio > 1 else round(32 * ratio)
    h = round(32 / ratio) if ratio > 1 else 32
    xs = (np.arange(w) + 0.5) / w
    ys = (np.arange(h) + 0.5) / h

    def render(dc: float, ac: list[tuple[int, int, float]]) -> np.ndarray:
        out = np.full((h, w), dc)
        for cx, cy, value in ac:
            out += value * 2 * np.outer(np.cos(math.pi * cy * ys), np.cos(math.pi * cx * xs))
        return out

    lum, p, q, a = render(l_dc, l_ac), render(p_dc, p_ac), render(q_dc, q_ac), render(a_dc, a_ac)
    b = lum - 2 / 3 * p
    r = (3 * lum - b + q) / 2
    g = r - q
    return np.clip(np.stack([r, g, b, a], axis=-1), 0, 1), ratio


def _gradient(w: int, h: int, alpha: bool = False) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([255 * x / (w - 1), 255 * y / (h - 1), np.full((h, w), 80.0)], axis=-1)
    if alpha:
        a = 255 * (1 - x / (w - 1))
        rgb = np.concatenate([rgb, a[..., None]], axis=-1)
    return rgb.round().astype(np.uint8)


@pytest.mark.parametrize(
    ("pixels", "label"),
    [
        (np.full((40, 60, 3), (200, 30, 90), np.uint8), "solid landscape"),
        (np.full((90, 30, 3), (10, 140, 250), np.uint8), "solid portrait"),
        (_gradient(100, 75), "gradient"),
        (_gradient(64, 64, alpha=True), "gradient with alpha"),
    ],
)
def test_decoded_average_colour_matches_the_image(pixels: np.ndarray, label: str) -> None:
    decoded, _ = _decode(encode_thumbhash(pixels))
    rgb = pixels[..., :3] / 255.0
    # Transparent pixels are encoded composited onto the alpha-weighted average colour, so the
    # decoded colours average to that.
    got = decoded[..., :3].mean(axis=(0, 1))
    if pixels.shape[2] == 4:
        alpha = pixels[..., 3:] / 255.0
        expected = (rgb * alpha).sum(axis=(0, 1)) / alpha.sum()
        assert abs(decoded[..., 3].mean() - alpha.mean()) < 0.07, label
    else:
        expected = rgb.mean(axis=(0, 1))
        assert np.allclose(decoded[..., 3], 1.0), label
    assert np.abs(got - expected).max() < 0.05, (label, got, expected)


def test_decoded_hash_keeps_the_layout_and_aspect() -> None:
    # Red on the left, blue on the right: the decoded picture must keep that order.
    pixels = np.zeros((50, 100, 3), np.uint8)
    pixels[:, :50] = (230, 20, 20)
    pixels[:, 50:] = (20, 20, 230)
    decoded, ratio = _decode(encode_thumbhash(pixels))
    left, right = decoded[:, : decoded.shape[1] // 4], decoded[:, -decoded.shape[1] // 4 :]
    assert left[..., 0].mean() > left[..., 2].mean() + 0.3
    assert right[..., 2].mean() > right[..., 0].mean() + 0.3
    assert ratio > 1.5  # landscape


def test_thumbhash_of_image_reduces_large_images_and_is_base64() -> None:
    image = Image.fromarray(_gradient(400, 300))
    text = thumbhash_of_image(image)
    raw = base64.b64decode(text, validate=True)
    assert 20 <= len(raw) <= 30
    assert raw == encode_thumbhash(np.asarray(image.resize((100, 75), Image.Resampling.BILINEAR)))


def test_images_over_100_pixels_are_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode_thumbhash(np.zeros((101, 10, 3), np.uint8))

"""Colour stage: the share of the image taken by each of twelve named colours (deterministic).

Every pixel of a small copy of the image is converted to CIE L*a*b* (D65) and named by
lightness, chroma and hue angle: very dark pixels are black, low-chroma pixels white or grey,
the rest fall into hue sectors (measured on the CSS colours: red 40 deg, orange 73, yellow 103,
green 136, teal 196, blue 306, purple 328) with dark or muted orange/yellow counted as brown.
A colour is tagged when it covers at least ``MIN_SHARE`` of the image; confidence and
significance are its share. No model, so the stage is always available.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["COLOUR_NAMES", "MIN_SHARE", "ColourClassifier", "colour_shares", "create"]

COLOUR_NAMES: tuple[str, ...] = (
    "red", "orange", "yellow", "green", "teal", "blue",
    "purple", "pink", "brown", "black", "grey", "white",
)  # fmt: skip
MIN_SHARE = 0.05
_SAMPLE_SIDE = 192  # long side of the copy we count; shares barely move above ~100 px

# Thresholds in L* (0..100) and C* (chroma) units.
_BLACK_L = 20.0  # below this, a pixel reads as black unless vividly coloured
_BLACK_MAX_C = 30.0
_NEUTRAL_C = 15.0  # below this chroma a pixel reads as white or grey
_WHITE_L = 80.0
_BROWN_L = 55.0  # orange/yellow hues darker than this read as brown,
_BROWN_C = 30.0  # and so do muted ones (tan, beige-brown) below this chroma

# Hue sectors (degrees of the a*b* angle): (start, end, name), start inclusive.
_HUE_SECTORS: tuple[tuple[float, float, str], ...] = (
    (20.0, 50.0, "red"),
    (50.0, 85.0, "orange"),
    (85.0, 115.0, "yellow"),
    (115.0, 165.0, "green"),
    (165.0, 225.0, "teal"),
    (225.0, 315.0, "blue"),
    (315.0, 345.0, "purple"),
)  # everything else (345..20) is pink

# sRGB (D65) linear RGB -> XYZ, and the D65 white point.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _to_lab(rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
    """(N, 3) sRGB bytes -> (N, 3) L*a*b*."""
    c = rgb.astype(np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = linear @ _RGB_TO_XYZ.T / _WHITE
    delta = 6.0 / 29.0
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4.0 / 29.0)
    return np.stack(
        [116.0 * f[:, 1] - 16.0, 500.0 * (f[:, 0] - f[:, 1]), 200.0 * (f[:, 1] - f[:, 2])], axis=1
    )


def _name_pixels(lab: NDArray[np.float64]) -> NDArray[np.intp]:
    """Index into COLOUR_NAMES for every pixel."""
    lightness = lab[:, 0]
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360.0
    index = {name: i for i, name in enumerate(COLOUR_NAMES)}
    names = np.full(len(lab), index["pink"], dtype=np.intp)
    for start, end, name in _HUE_SECTORS:
        names[(hue >= start) & (hue < end)] = index[name]
    brownish = (hue >= 50.0) & (hue < 115.0) & ((lightness < _BROWN_L) | (chroma < _BROWN_C))
    names[brownish] = index["brown"]
    neutral = chroma < _NEUTRAL_C
    names[neutral] = np.where(lightness[neutral] >= _WHITE_L, index["white"], index["grey"])
    names[(lightness < _BLACK_L) & (chroma < _BLACK_MAX_C)] = index["black"]
    return names


def _sample(image: Image.Image) -> NDArray[np.uint8]:
    if image.mode != "RGB":
        image = image.convert("RGB")
    if max(image.size) > _SAMPLE_SIDE:
        scale = _SAMPLE_SIDE / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        # BOX averages whole source pixels: deterministic and faithful to area shares.
        image = image.resize(size, Image.Resampling.BOX)
    return np.asarray(image, dtype=np.uint8).reshape(-1, 3)


def colour_shares(image: Image.Image) -> list[tuple[str, float, str]]:
    """Every colour present as (name, share, mean colour '#rrggbb'), largest share first."""
    rgb = _sample(image)
    names = _name_pixels(_to_lab(rgb))
    counts = np.bincount(names, minlength=len(COLOUR_NAMES))
    shares: list[tuple[str, float, str]] = []
    for i in np.flatnonzero(counts):
        mean = rgb[names == i].mean(axis=0).round().astype(int)
        hex_colour = "#{:02x}{:02x}{:02x}".format(*mean)
        shares.append((COLOUR_NAMES[i], float(counts[i]) / len(names), hex_colour))
    shares.sort(key=lambda item: (-item[1], item[0]))
    return shares


class ColourClassifier(BaseClassifier):
    """Named colours by share of the image."""

    name = "colour"
    version = "1"

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        return [
            TagResult(
                name=name,
                type="colour",
                confidence=round(share, 4),
                significance=round(share, 4),
                extra={"rgb": hex_colour},
            )
            for name, share, hex_colour in colour_shares(image)
            if share >= MIN_SHARE
        ]


def create(models_dir: Path) -> ColourClassifier:
    return ColourClassifier()

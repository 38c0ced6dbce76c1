"""Odd and real inputs every classifier must survive: cmyk.tif, 8x8 pixels, every fixture photo.

Files are decoded the way ingest decodes them (``workers.ingest.decode``); files that ingest
refuses are not classifier inputs and are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PIL import Image

from workers.ingest.decode import ImageError, decode_image

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["fixture_images", "tiny_images"]

PREVIEW_SIDE = 1440  # what the runner hands classifiers


def fixture_images(fixtures_dir: Path) -> Iterator[tuple[str, Image.Image]]:
    """(relative path, decoded image) for every fixture file that ingest can decode."""
    for path in sorted(p for p in fixtures_dir.rglob("*") if p.is_file()):
        try:
            decoded = decode_image(path.read_bytes(), PREVIEW_SIDE)
        except ImageError:
            continue
        yield str(path.relative_to(fixtures_dir)), decoded.image


def tiny_images() -> list[tuple[str, Image.Image]]:
    """Degenerate sizes and modes."""
    return [
        ("8x8 RGB", Image.new("RGB", (8, 8), (200, 30, 30))),
        ("8x8 L", Image.new("L", (8, 8), 128)),
        ("1x300 RGBA", Image.new("RGBA", (1, 300), (0, 0, 0, 0))),
        ("300x2 P", Image.new("P", (300, 2))),
        ("64x64 I;16", Image.new("I;16", (64, 64), 40000)),
    ]

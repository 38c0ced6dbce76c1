"""Photos the browser tests make: small real JPEGs with a known date and camera in their EXIF.

Generated rather than copied so that each test can have as many distinct photos (distinct
content, so none is a copy of another) with as many dates as it needs, in milliseconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw

__all__ = ["Shot", "wall_clock", "write_jpeg"]


def wall_clock(*parts: int) -> datetime:
    """A camera's wall-clock time: no zone, as most cameras record it."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[misc]


@dataclass(frozen=True)
class Shot:
    """What a generated photo says about itself."""

    taken_at: datetime
    make: str = "Canon"
    model: str = "Canon EOS 40D"
    size: tuple[int, int] = (900, 600)


def write_jpeg(path: Path, shot: Shot, seed: int) -> Path:
    """Write a JPEG whose pixels depend on ``seed`` and whose EXIF holds ``shot``."""
    rng = random.Random(seed)
    image = Image.new("RGB", shot.size, tuple(rng.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(shot.size[0]), rng.randrange(shot.size[1])
        x1, y1 = x0 + rng.randrange(40, 300), y0 + rng.randrange(40, 300)
        draw.ellipse((x0, y0, x1, y1), fill=tuple(rng.randrange(256) for _ in range(3)))
    exif = Image.Exif()
    stamp = shot.taken_at.strftime("%Y:%m:%d %H:%M:%S")
    exif[ExifTags.Base.Make] = shot.make
    exif[ExifTags.Base.Model] = shot.model
    exif[ExifTags.Base.DateTime] = stamp
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = stamp
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".part")
    image.save(tmp, "JPEG", quality=85, exif=exif)
    tmp.rename(path)  # one close-write/move-in: the watcher sees a complete file
    return path

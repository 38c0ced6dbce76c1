"""When a photo was taken: the first good date tag, its UTC offset, and how the offset is known.

Sources, best first (a bad date falls through to the next): the "original" dates (EXIF
DateTimeOriginal, XMP exif:DateTimeOriginal / photoshop:DateCreated, IPTC DateCreated), then
the "digitized" ones (EXIF DateTimeDigitized, XMP xmp:CreateDate), then the "modified" ones
(EXIF DateTime, XMP xmp:ModifyDate). The offset comes from the matching OffsetTime* tag or
an XMP date's own offset ('offset'), else the zone at the GPS position ('gps'), else none
('floating': a wall-clock time in an unknown zone, never silently UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from workers.ingest.tags import Tags
from workers.ingest.timezones import offset_minutes, zone_at
from workers.protocol import MAX_OFFSET_MINUTES

__all__ = ["TakenAt", "parse_date", "parse_offset", "taken_at"]

MIN_YEAR = 1800
MAX_YEAR = 2200

# Lenient: any of : / - . between date parts (cameras and editors write all of them),
# optional time, fraction and offset. "X" digits or missing parts do not match.
_DATE = re.compile(
    r"^\s*(\d{4})[:/.\-](\d{1,2})[:/.\-](\d{1,2})"
    r"(?:[T\s]+(\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_OFFSET = re.compile(r"^\s*(?:(Z)|([+-])(\d{1,2})(?::?(\d{2}))?)\s*$")
_IPTC_TIME = re.compile(r"^\s*(\d{2}):?(\d{2}):?(\d{2})\s*(Z|[+-]\d{2}:?\d{2})?\s*$")

# (date key, offset key or None); XMP and IPTC dates carry their own offset.
_ORIGINAL = (
    ("Exif.Photo.DateTimeOriginal", "Exif.Photo.OffsetTimeOriginal"),
    ("Exif.Image.DateTimeOriginal", "Exif.Photo.OffsetTimeOriginal"),
    ("Xmp.exif.DateTimeOriginal", None),
    ("Xmp.photoshop.DateCreated", None),
    ("Iptc.Application2.DateCreated", None),
)
_DIGITIZED = (
    ("Exif.Photo.DateTimeDigitized", "Exif.Photo.OffsetTimeDigitized"),
    ("Xmp.xmp.CreateDate", None),
    ("Xmp.exif.DateTimeDigitized", None),
    ("Iptc.Application2.DigitizationDate", None),
)
_MODIFIED = (
    ("Exif.Image.DateTime", "Exif.Photo.OffsetTime"),
    ("Xmp.tiff.DateTime", None),
    ("Xmp.xmp.ModifyDate", None),
)
_SOURCES = _ORIGINAL + _DIGITIZED + _MODIFIED
_IPTC_TIME_KEYS = {
    "Iptc.Application2.DateCreated": "Iptc.Application2.TimeCreated",
    "Iptc.Application2.DigitizationDate": "Iptc.Application2.DigitizationTime",
}


@dataclass(frozen=True)
class TakenAt:
    """A wall-clock time, its UTC offset in minutes when known, the zone, and the source."""

    local: datetime
    offset: int | None
    zone: str | None
    source: str  # 'offset' | 'gps' | 'floating'


def parse_offset(text: str | None) -> int | None:
    """Minutes east of UTC from ``+03:00``, ``-0500``, ``+1:00`` or ``Z``; None if invalid."""
    if not text:
        return None
    match = _OFFSET.match(text)
    if not match:
        return None
    zulu, sign, hours, minutes = match.groups()
    if zulu:
        return 0
    value = int(hours) * 60 + int(minutes or 0)
    if value > MAX_OFFSET_MINUTES or int(minutes or 0) >= 60:
        return None
    return -value if sign == "-" else value


def parse_date(text: str | None) -> tuple[datetime, int | None] | None:
    """A naive datetime and the offset written with it, or None for a bad or absent date."""
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    try:
        value = datetime(  # noqa: DTZ001 - a wall-clock time; its zone is tracked apart
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:  # 0000:00:00, month 13, 25 o'clock...
        return None
    return value, parse_offset(offset)


def _read(tags: Tags, key: str) -> tuple[datetime, int | None] | None:
    text = tags.get(key)
    time_key = _IPTC_TIME_KEYS.get(key)
    if text and time_key:
        # IPTC keeps the date and the time (with its offset) in two datasets.
        match = _IPTC_TIME.match(tags.get(time_key) or "")
        if match:
            hh, mm, ss, offset = match.groups()
            text = f"{text} {hh}:{mm}:{ss}{offset or ''}"
    return parse_date(text)


def _xmp_offset_for(tags: Tags, local: datetime) -> int | None:
    """An offset written on an XMP date with the same wall-clock time (Adobe, Jolla...).

    IPTC times are not used here: editors often write "+00:00" when they do not know."""
    for key, offset_key in _SOURCES:
        if offset_key is None and key.startswith("Xmp."):
            parsed = _read(tags, key)
            if parsed and parsed[0] == local and parsed[1] is not None:
                return parsed[1]
    return None


def taken_at(tags: Tags, latitude: float | None, longitude: float | None) -> TakenAt | None:
    """The date taken, or None when no source holds a valid date (callers use the file mtime)."""
    for key, offset_key in _SOURCES:
        parsed = _read(tags, key)
        if parsed is None:
            continue
        local, offset = parsed
        if offset is None and offset_key:
            offset = parse_offset(tags.get(offset_key))
        if offset is None:
            offset = _xmp_offset_for(tags, local)
        zone = None
        if latitude is not None and longitude is not None:
            zone = zone_at(latitude, longitude)
        if offset is not None:
            # Keep the GPS zone name only where it agrees with the written offset.
            if zone is not None and offset_minutes(zone, local) != offset:
                zone = None
            return TakenAt(local, offset, zone, "offset")
        if zone is not None:
            return TakenAt(local, offset_minutes(zone, local), zone, "gps")
        return TakenAt(local, None, None, "floating")
    return None

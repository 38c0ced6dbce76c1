"""Time zone of a GPS position (timezonefinder, offline) and its UTC offset at a local time."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from timezonefinder import TimezoneFinder

__all__ = ["offset_minutes", "zone_at"]


@functools.cache
def _finder() -> TimezoneFinder:
    # One per process, created on first use: it maps its polygon data (~0.1 s to open).
    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """IANA zone name at a position (``Etc/GMT±N`` at sea), or None if out of range."""
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    return _finder().timezone_at(lng=longitude, lat=latitude)


def offset_minutes(zone: str, local: datetime) -> int | None:
    """UTC offset, in minutes, of ``zone`` at the naive wall-clock time ``local``."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offset = local.replace(tzinfo=tz).utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)

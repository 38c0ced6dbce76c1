"""Turn exiv2's printed tag values ("1/160", "43/1 28/1 2454/100") into numbers and names."""

from __future__ import annotations

import math
import re

__all__ = [
    "METERING_MODES",
    "first_int",
    "gps_altitude",
    "gps_coordinate",
    "lens_from_range",
    "rational",
    "xmp_gps_coordinate",
]

# EXIF MeteringMode values, named as exiftool prints them.
METERING_MODES: dict[int, str] = {
    0: "Unknown",
    1: "Average",
    2: "Center-weighted average",
    3: "Spot",
    4: "Multi-spot",
    5: "Multi-segment",
    6: "Partial",
    255: "Other",
}

_XMP_GPS = re.compile(r"^\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$")


def rational(text: str | None, index: int = 0) -> float | None:
    """The ``index``-th value of a (list of) rational(s) or number(s); None if absent/invalid."""
    if not text:
        return None
    parts = text.replace(",", " ").split()
    if index >= len(parts):
        return None
    part = parts[index]
    try:
        if "/" in part:
            num, den = part.split("/", 1)
            if float(den) == 0:
                return None  # 0/0 is how cameras write "unknown"
            value = float(num) / float(den)
        else:
            value = float(part)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def first_int(text: str | None) -> int | None:
    """The first integer of a value such as ``"100"`` or ``"100 0"``."""
    value = rational(text)
    if value is None or value != int(value):
        return None
    return int(value)


def gps_coordinate(text: str | None, ref: str | None) -> float | None:
    """Degrees from EXIF's three rationals (deg, min, sec) and an N/S/E/W reference.

    degrees + minutes / 60 + seconds / 3600: exact to well under a metre.
    """
    degrees, minutes, seconds = (rational(text, i) for i in range(3))
    if degrees is None:
        return None
    value = degrees + (minutes or 0.0) / 60 + (seconds or 0.0) / 3600
    if ref and ref.strip().upper()[:1] in ("S", "W"):
        value = -value
    return value


def xmp_gps_coordinate(text: str | None) -> float | None:
    """Degrees from XMP's ``"43,28.0893N"`` or ``"43,28,5.36N"`` form."""
    if not text:
        return None
    match = _XMP_GPS.match(text)
    if not match:
        return None
    degrees, minutes, seconds, ref = match.groups()
    value = float(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600
    return -value if ref in ("S", "W") else value


def gps_altitude(text: str | None, ref: str | None) -> float | None:
    """Metres; AltitudeRef 1 means below sea level."""
    value = rational(text)
    if value is None:
        return None
    return -value if first_int(ref) == 1 else value


def lens_from_range(text: str | None) -> str | None:
    """Lens name from (focal min, focal max, f-number at min, at max): "18-70mm f/3.5-4.5"."""
    values = [rational(text, i) for i in range(4)]
    if any(v is None or v <= 0 for v in values):
        return None
    f_min, f_max, a_min, a_max = (float(v) for v in values)  # type: ignore[arg-type]

    def num(v: float) -> str:
        return f"{v:g}"

    focal = num(f_min) if f_min == f_max else f"{num(f_min)}-{num(f_max)}"
    aperture = num(a_min) if a_min == a_max else f"{num(a_min)}-{num(a_max)}"
    return f"{focal}mm f/{aperture}"

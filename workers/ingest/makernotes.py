"""Values some cameras keep only in maker notes: ISO and lens (decoded by exiv2), and the
content identifier of an iPhone still (exiv2 0.28 leaves Apple's maker note undecoded).

exiv2 parses most maker notes; here we only convert the few decoded values that stand in for
missing standard EXIF tags, the way exiftool's composite tags do.
"""

from __future__ import annotations

import math
import struct

from workers.ingest.exif_values import first_int, lens_from_range, rational
from workers.ingest.tags import Tags

__all__ = ["apple_content_identifier", "maker_iso", "maker_lens"]

# Canon CameraSettings ISOSpeed codes for fixed ISO settings (15 is "Auto", 0 "n/a").
_CANON_ISO_CODES = {16: 50, 17: 100, 18: 200, 19: 400, 20: 800}
_CANON_ISO_NUMERIC = 0x4000  # flag: the remaining bits are the ISO itself
_CANON_ISO_UNSET = 0x7FFF

# ASCII lens names exiv2 reads from maker notes, best first.
_LENS_TEXT_KEYS = (
    "Exif.Canon.LensModel",
    "Exif.OlympusEq.LensModel",
    "Exif.Panasonic.LensType",
    "Exif.Pentax.LensModel",
    "Exif.Sony1.LensModel",
    "Exif.Sony2.LensModel",
)


def _canon_iso(tags: Tags) -> float | None:
    code = first_int(tags.get("Exif.CanonCs.ISOSpeed"))
    if code is not None and code != _CANON_ISO_UNSET:
        if code & _CANON_ISO_NUMERIC:
            return float(code & ~_CANON_ISO_NUMERIC) or None
        if code in _CANON_ISO_CODES:
            return float(_CANON_ISO_CODES[code])
    # "Auto" or "n/a": base ISO scaled by the auto-ISO factor, both APEX-like (x/32 stops).
    base_code = first_int(tags.get("Exif.CanonSi.ISOSpeed"))
    if not base_code:
        return None
    base = math.exp(base_code / 32 * math.log(2)) * 100 / 32
    auto_code = first_int(tags.get("Exif.CanonSi.AutoISO")) or 0
    auto = math.exp(auto_code / 32 * math.log(2)) * 100
    return base * auto / 100


def maker_iso(tags: Tags) -> float | None:
    """ISO from maker notes, for files whose EXIF lacks ISOSpeedRatings."""
    make = (tags.get("Exif.Image.Make") or "").lower()
    iso: float | None = None
    if "canon" in make:
        iso = _canon_iso(tags)
    elif "nikon" in make:
        iso = rational(tags.get("Exif.Nikon3.ISOSpeed"), 1)  # "0 200": mode, then ISO
    elif "casio" in make:
        iso = rational(tags.get("Exif.Casio2.ISO")) or rational(tags.get("Exif.Casio.ISO"))
    return iso if iso and iso > 0 else None


def maker_lens(tags: Tags) -> str | None:
    """A lens name exiv2 can give cheaply from maker notes (text tags, Nikon's focal range)."""
    for key in _LENS_TEXT_KEYS:
        value = tags.get(key)
        if value and first_int(value) is None:  # some models store a numeric code here
            return value
    return lens_from_range(tags.get("Exif.Nikon3.Lens"))


# Apple's maker note: "Apple iOS\0", a version (2 bytes), "MM", then a big-endian IFD whose
# offsets count from the note's start. Tag 0x0011 is exiftool's ContentIdentifier (named
# MediaGroupUUID before exiftool 12.x): the id a live photo's MOV carries too.
_APPLE_HEADER = b"Apple iOS\0"
_APPLE_IFD = 14
_APPLE_CONTENT_ID = 0x0011
_ASCII = 2


def apple_content_identifier(tags: Tags) -> str | None:
    """The live-photo content identifier in an iPhone photo's maker note, or None."""
    text = tags.get("Exif.Photo.MakerNote")
    if not text or not text.startswith("65 112 112 108 101 "):  # "Apple", cheaply
        return None
    try:
        note = bytes(int(part) for part in text.split())
        if not note.startswith(_APPLE_HEADER) or note[12:14] != b"MM":
            return None
        (count,) = struct.unpack_from(">H", note, _APPLE_IFD)
        for i in range(count):
            tag, kind, n, value = struct.unpack_from(">HHII", note, _APPLE_IFD + 2 + 12 * i)
            if tag == _APPLE_CONTENT_ID and kind == _ASCII:
                raw = note[_APPLE_IFD + 10 + 12 * i:][:n] if n <= 4 else note[value:value + n]
                found = raw.split(b"\0", 1)[0].decode("ascii").strip()
                return found or None
    except (ValueError, struct.error, UnicodeDecodeError):  # a damaged note: no id
        return None
    return None

"""Read a photo's EXIF, XMP and IPTC tags with exiv2 (pyexiv2) into plain, decoded strings.

Each value is decoded on its own, so one tag with invalid UTF-8 is dropped without losing
the rest (pyexiv2's own ``read_exif`` decodes everything at once and fails as a whole).

    tags = read_tags(open(path, "rb").read())
    tags.get("Exif.Image.Make")   # 'Canon' or None
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pyexiv2

__all__ = ["TagValue", "Tags", "read_tags"]

log = logging.getLogger(__name__)

TagValue = str | list[str]

# exiv2 reports recoverable damage (a maker note with a bad directory, XMP with a duplicate
# node) at "error" level, which pyexiv2 turns into an exception that loses every tag of the
# file. Muted, exiv2 skips the damaged part and returns what it could read.
pyexiv2.set_log_level(4)

# Windows XP* tags hold UTF-16LE text stored as a list of byte values.
_UCS2_TAGS = frozenset(pyexiv2.EXIF_TAGS_ENCODED_IN_UCS2)
# Legacy IPTC is ISO 8859-1 unless the envelope declares UTF-8 (ESC % G).
_IPTC_UTF8_MARKER = "\x1b%G"


@dataclass
class Tags:
    """Decoded tag values by exiv2 key (``Exif.Photo.FNumber``), plus what exiv2 saw."""

    values: dict[str, TagValue] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # exiv2 type name per key
    pixel_size: tuple[int, int] | None = None  # as stored in the file (SOF, ispe, ...)
    mime_type: str | None = None

    def get(self, key: str) -> str | None:
        """The tag's value as one string (the first of a repeated tag), or None."""
        value = self.values.get(key)
        if isinstance(value, list):
            return value[0] if value else None
        return value

    def get_list(self, key: str) -> list[str]:
        """The tag's values as a list (bags, sequences, repeated IPTC datasets)."""
        value = self.values.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def _decode(raw: bytes, *, latin1_fallback: bool = False) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        if not latin1_fallback:
            return None  # invalid text is dropped, never guessed
        text = raw.decode("latin-1")
    return text.replace("\x00", "").strip()


def _decode_ucs2(text: str) -> str | None:
    try:
        data = bytes(int(part) for part in text.split())
        return data.decode("utf-16-le").replace("\x00", "").strip()
    except (ValueError, UnicodeDecodeError):
        return None


def _add(tags: Tags, key: str, type_name: str, value: TagValue) -> None:
    previous = tags.values.get(key)
    if previous is None:
        tags.values[key] = value
        tags.types[key] = type_name
        return
    # Repeated keys (IPTC Keywords, duplicated EXIF entries) become a list.
    merged = previous if isinstance(previous, list) else [previous]
    merged.extend(value if isinstance(value, list) else [value])
    tags.values[key] = merged


def _collect(tags: Tags, rows: list[dict], *, latin1_fallback: bool = False) -> None:
    for row in rows:
        key = _decode(row.get("tag", b""))
        if not key:
            continue
        type_name = row.get("typeName", "")
        raw = row.get("value", b"")
        value: TagValue | None
        if isinstance(raw, list | tuple):
            items = [_decode(item, latin1_fallback=latin1_fallback) for item in raw]
            value = [item for item in items if item]
        else:
            value = _decode(raw, latin1_fallback=latin1_fallback)
            if value is not None and key in _UCS2_TAGS:
                value = _decode_ucs2(value)
        if value is None or value == []:
            continue
        _add(tags, key, type_name, value)


def read_tags(data: bytes) -> Tags:
    """Every EXIF, XMP and IPTC tag exiv2 can read from an image file's bytes.

    Raises ``RuntimeError`` when exiv2 does not recognise the file format at all.
    """
    image = pyexiv2.ImageData(data)
    try:
        api = image._exiv2api_image  # the raw rows: bytes per value, decoded by us
        tags = Tags()
        for name, reader in (("exif", api.read_exif), ("xmp", api.read_xmp)):
            try:
                _collect(tags, reader())
            except RuntimeError as exc:  # a whole block exiv2 could not parse
                log.debug("exiv2 could not read %s: %s", name, exc)
        try:
            iptc = api.read_iptc()
        except RuntimeError as exc:
            log.debug("exiv2 could not read iptc: %s", exc)
        else:
            charset_key = b"Iptc.Envelope.CharacterSet"
            charset = next((r.get("value", b"") for r in iptc if r.get("tag") == charset_key), b"")
            _collect(tags, iptc, latin1_fallback=_IPTC_UTF8_MARKER.encode() not in charset)
        width, height = image.get_pixel_width(), image.get_pixel_height()
        if width > 0 and height > 0:
            tags.pixel_size = (width, height)
        tags.mime_type = image.get_mime_type() or None
        return tags
    finally:
        image.close()

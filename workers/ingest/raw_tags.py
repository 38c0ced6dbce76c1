"""Every tag read, as JSON-safe values for the photo's raw metadata column."""

from __future__ import annotations

from typing import Any

from workers.ingest.tags import Tags

__all__ = ["MAX_TEXT", "json_safe_tags"]

MAX_TEXT = 2000  # longer values are blobs (maker notes, previews, profiles), not metadata
_MAX_BYTES_AS_HEX = 32  # short binary values (versions, IDs) are kept as hex
_MAX_LIST = 64
_INTEGER_TYPES = frozenset({"Byte", "SByte", "Short", "SShort", "Long", "SLong"})
# Containers and binary payloads whose content is not metadata.
_SKIPPED_SUFFIXES = (
    ".MakerNote",
    ".DataDump",
    ".PreviewImage",
    ".InterColorProfile",
    ".XMLPacket",
    ".StripOffsets",
    ".StripByteCounts",
    ".TileOffsets",
    ".TileByteCounts",
    ".JPEGInterchangeFormat",
)


def _integers(text: str) -> list[int] | None:
    try:
        return [int(part) for part in text.split()]
    except ValueError:
        return None


def _value(type_name: str, value: str) -> Any:
    if type_name == "Undefined":
        numbers = _integers(value)
        if numbers is None:
            return value  # exiv2 already rendered it as text (comments, versions)
        if len(numbers) > _MAX_BYTES_AS_HEX or any(not 0 <= n <= 255 for n in numbers):
            return None
        return bytes(numbers).hex()
    if type_name in _INTEGER_TYPES:
        numbers = _integers(value)
        if numbers is not None:
            if len(numbers) == 1:
                return numbers[0]
            return numbers if len(numbers) <= _MAX_LIST else None
    return value if len(value) <= MAX_TEXT else None


def json_safe_tags(tags: Tags) -> dict[str, Any]:
    """Tag key -> str, int, hex str or a list of those; blobs and huge values dropped."""
    raw: dict[str, Any] = {}
    for key, value in tags.values.items():
        if key.endswith(_SKIPPED_SUFFIXES):
            continue
        type_name = tags.types.get(key, "")
        if isinstance(value, list):
            items = [_value(type_name, item) for item in value[:_MAX_LIST]]
            kept = [item for item in items if item is not None]
            if kept:
                raw[key] = kept
        else:
            converted = _value(type_name, value)
            if converted is not None:
                raw[key] = converted
    return raw

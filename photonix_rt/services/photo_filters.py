"""Turn a client's photo filter (the GraphQL ``PhotoFilter`` input) into a checked store filter.

Also the opaque page cursors: base64url JSON of the order, the sort value and the photo id.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from photonix_rt.errors import Invalid
from photonix_rt.store.photo_filter import Bbox, Keyset, PhotoFilter

__all__ = ["TAG_TYPES", "decode_cursor", "encode_cursor", "parse_datetime", "parse_filter",
           "parse_id"]

TAG_TYPES = frozenset({"object", "scene", "person", "colour", "location", "event", "style",
                       "album", "user"})
_MAX_TERMS = 10
_MAX_TAGS = 50


def parse_id(value: Any, what: str) -> UUID:
    """A UUID from a client id; Invalid when it is not one."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise Invalid(f"{what} is not a valid id") from None


def parse_datetime(value: Any, what: str) -> datetime:
    """An aware datetime from ISO 8601; a value without offset is read as wall-clock UTC,
    which is how floating times are stored for sorting."""
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            raise Invalid(f"{what} is not an ISO 8601 date-time") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _number_range(value: Mapping[str, Any] | None, what: str,
                  kind: type) -> tuple[Any, Any]:
    if not value:
        return (None, None)
    low, high = value.get("min"), value.get("max")
    for bound in (low, high):
        if bound is not None and (not math.isfinite(bound) or bound < 0):
            raise Invalid(f"{what} bounds must be finite and not negative")
    if low is not None and high is not None and low > high:
        raise Invalid(f"{what}: min is greater than max")
    return (None if low is None else kind(low), None if high is None else kind(high))


_MAX_IDS = 5000


def _bbox(value: Mapping[str, Any] | None) -> Bbox | None:
    if value is None:
        return None
    box = Bbox(south=value["south"], west=value["west"], north=value["north"],
               east=value["east"])
    if not (-90 <= box.south <= box.north <= 90):
        raise Invalid("bbox: need -90 <= south <= north <= 90")
    if not (-180 <= box.west <= 180 and -180 <= box.east <= 180):
        raise Invalid("bbox: west and east must lie in -180..180")
    return box


def parse_filter(value: Mapping[str, Any] | None) -> PhotoFilter:
    """The store filter for the client's ``PhotoFilter`` input (camelCase keys)."""
    if not value:
        return PhotoFilter()
    tag_ids = tuple(parse_id(t, "tags") for t in value.get("tags") or ())
    tag_names = tuple(n.strip() for n in value.get("tagNames") or () if n.strip())
    if len(tag_ids) > _MAX_TAGS or len(tag_names) > _MAX_TAGS:
        raise Invalid(f"at most {_MAX_TAGS} tags per filter")
    tag_type = value.get("tagType")
    if tag_type is not None and tag_type not in TAG_TYPES:
        raise Invalid("unknown tag type")
    terms = tuple((value.get("text") or "").split())
    if len(terms) > _MAX_TERMS:
        raise Invalid(f"at most {_MAX_TERMS} words of text")
    min_rating = value.get("minRating")
    if min_rating is not None and not 0 <= min_rating <= 5:
        raise Invalid("minRating must lie in 0..5")
    after = value.get("takenAfter")
    before = value.get("takenBefore")
    return PhotoFilter(
        tag_ids=tag_ids,
        tag_names=tag_names,
        tag_type=tag_type,
        camera_id=None if value.get("cameraId") is None
        else parse_id(value["cameraId"], "cameraId"),
        lens_id=None if value.get("lensId") is None else parse_id(value["lensId"], "lensId"),
        taken_after=None if after is None else parse_datetime(after, "takenAfter"),
        taken_before=None if before is None else parse_datetime(before, "takenBefore"),
        aperture=_number_range(value.get("aperture"), "aperture", float),
        iso=_number_range(value.get("iso"), "iso", int),
        focal_length=_number_range(value.get("focalLength"), "focalLength", float),
        exposure_time=_number_range(value.get("exposureTime"), "exposureTime", float),
        flash=value.get("flash"),
        min_rating=min_rating or None,  # every photo is rated 0 or more: no filter
        has_location=value.get("hasLocation"),
        bbox=_bbox(value.get("bbox")),
        text_terms=terms,
        person_id=None if value.get("personId") is None
        else parse_id(value["personId"], "personId"),
        ids=_ids(value.get("ids")),
    )


def _ids(value: Any) -> tuple[UUID, ...] | None:
    """The ``ids`` filter (a map cluster's photos): at most ``_MAX_IDS``."""
    if value is None:
        return None
    if len(value) > _MAX_IDS:
        raise Invalid(f"at most {_MAX_IDS} ids per filter")
    return tuple(sorted({parse_id(v, "ids") for v in value}))


def encode_cursor(order: str, value: datetime | None, photo_id: UUID) -> str:
    """An opaque cursor for the position just after this photo in this order."""
    body = {"o": order, "v": value.isoformat() if value else None, "i": str(photo_id)}
    raw = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, order: str) -> Keyset:
    """The keyset a cursor stands for; Invalid when malformed or from another order."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if body["o"] != order:
            raise Invalid("the cursor belongs to another orderBy")
        value = None if body["v"] is None else datetime.fromisoformat(body["v"])
        if value is not None and value.tzinfo is None:
            raise ValueError("naive cursor value")
        return Keyset(value=value, id=UUID(body["i"]))
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise Invalid("malformed cursor") from None

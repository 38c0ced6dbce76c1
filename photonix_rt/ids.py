"""Client-supplied ids parsed once, the same way everywhere: a bad id is simply not found.

Usage::

    photo = parse_uuid(raw, "photo")     # UUID, or NotFound("no such photo")
    face = parse_serial(raw, "face")     # a positive BIGINT, or NotFound("no such face")
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from photonix_rt.errors import NotFound

__all__ = ["MAX_SERIAL", "parse_serial", "parse_uuid"]

# PostgreSQL's BIGINT: a larger number could never be an id (and would overflow the driver).
MAX_SERIAL = 2**63 - 1


def parse_uuid(value: Any, what: str) -> UUID:
    """A UUID id; anything else is NotFound."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except (ValueError, TypeError):
        raise NotFound(f"no such {what}") from None


def parse_serial(value: Any, what: str) -> int:
    """A BIGSERIAL id (1 to 2**63-1); anything else is NotFound."""
    if isinstance(value, bool):
        raise NotFound(f"no such {what}")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            raise NotFound(f"no such {what}")
        number = int(text)
    if not 1 <= number <= MAX_SERIAL:
        raise NotFound(f"no such {what}")
    return number

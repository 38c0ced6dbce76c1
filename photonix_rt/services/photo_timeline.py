"""The timeline for a viewer: months with counts, one month's tiles, search suggestions.

Same access rule as the photos connection (members of the library only) and the same filter.
Mixed into ``PhotoService`` (which provides ``_db``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid
from photonix_rt.services.photo_filters import parse_filter, parse_id
from photonix_rt.store import timeline as store

if TYPE_CHECKING:
    from collections.abc import Mapping

    from photonix_rt.auth.identity import Viewer
    from photonix_rt.store.db import Database

__all__ = ["MAX_SUGGESTIONS", "PhotoTimeline", "parse_month"]

MAX_SUGGESTIONS = 50
_MAX_TEXT = 100
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str | None) -> datetime | None:
    """'YYYY-MM' -> the month's first wall-clock instant; None stays None (undated)."""
    if value is None:
        return None
    match = _MONTH.fullmatch(value.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise Invalid("month must be 'YYYY-MM'")
    return datetime(int(match.group(1)), int(match.group(2)), 1)  # noqa: DTZ001 wall clock


class PhotoTimeline:
    """Month buckets and suggestions, access-checked."""

    _db: Database

    async def time_buckets(self, viewer: Viewer | None, library_id: Any,
                           filter_input: Mapping[str, Any] | None) -> list[store.MonthCount]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await store.month_counts(self._db, library, parse_filter(filter_input))

    async def bucket_tiles(self, viewer: Viewer | None, library_id: Any, month: str | None,
                           filter_input: Mapping[str, Any] | None) -> store.MonthTiles:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await store.month_tiles(self._db, library, parse_month(month),
                                       parse_filter(filter_input))

    async def suggestions(self, viewer: Viewer | None, library_id: Any, text: str,
                          first: int) -> list[store.Suggestion]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        text = text.strip()
        if len(text) > _MAX_TEXT:
            raise Invalid(f"text is longer than {_MAX_TEXT} characters")
        if first < 0:
            raise Invalid("first must not be negative")
        if not text or first == 0:
            return []
        return await store.suggestions(self._db, library, text, min(first, MAX_SUGGESTIONS))

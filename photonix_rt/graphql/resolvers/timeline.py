"""The timeline: month buckets, one bucket's photos as parallel arrays, search suggestions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.media_urls import media_token, thumbnail_url
from photonix_rt.graphql.resolvers.photos import format_taken_at

if TYPE_CHECKING:
    from datetime import datetime

    from graphql import GraphQLResolveInfo


__all__ = ["RESOLVERS"]

def _month(month: datetime | None) -> str | None:
    return None if month is None else f"{month.year:04d}-{month.month:02d}"


def _ratio(tile: Any) -> float:
    if tile.width and tile.height:
        return tile.width / tile.height
    return 1.0


async def _time_buckets(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                        filter: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    context = context_of(info)
    counts = await context.services.photos.time_buckets(context.viewer, libraryId, filter)
    return [{"month": _month(c.month), "count": c.count} for c in counts]


async def _bucket_photos(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                         month: str | None = None,
                         filter: dict[str, Any] | None = None) -> dict[str, Any]:
    context = context_of(info)
    tiles = await context.services.photos.bucket_tiles(context.viewer, libraryId, month,
                                                       filter)
    token = media_token(info)
    return {
        "month": month.strip() if month is not None else None,
        "ids": [t.id for t in tiles],
        "ratios": [_ratio(t) for t in tiles],
        "placeholders": [t.placeholder for t in tiles],
        "takenAt": [format_taken_at(t.taken_at_local, t.taken_at_offset, t.taken_at)
                    for t in tiles],
        "thumbnailUrls": [thumbnail_url(t.id, t.thumbnail_key or "", "GRID", token)
                          for t in tiles],
        "missing": [t.missing for t in tiles],
        "durations": [t.duration_ms for t in tiles],
    }


async def _search_suggestions(_obj: Any, info: GraphQLResolveInfo, libraryId: str, text: str,
                              first: int = 10) -> list[dict[str, Any]]:
    context = context_of(info)
    found = await context.services.photos.suggestions(context.viewer, libraryId, text, first)
    # TagType's bound values are the stored names ('colour'), so tag_type passes as stored.
    return [{"kind": s.kind, "id": s.id, "label": s.label, "tagType": s.tag_type,
             "photoCount": s.photo_count} for s in found]


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "timeBuckets"): _time_buckets,
    ("Query", "bucketPhotos"): _bucket_photos,
    ("Query", "searchSuggestions"): _search_suggestions,
}

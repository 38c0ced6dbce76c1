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


def _ratio(width: int | None, height: int | None) -> float:
    if width and height:
        return width / height
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
        "ids": tiles.ids,
        "ratios": list(map(_ratio, tiles.widths, tiles.heights)),
        "placeholders": tiles.placeholders,
        "takenAt": list(map(format_taken_at, tiles.taken_at_local, tiles.taken_at_offset,
                            tiles.taken_at)),
        "thumbnailUrls": [thumbnail_url(photo_id, key or "", "GRID", token)
                          for photo_id, key in zip(tiles.ids, tiles.thumbnail_keys,
                                                   strict=True)],
        "missing": tiles.missing,
        "durations": tiles.duration_ms,
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

"""Tags on many photos at once (the selection bar): tagPhotos / untagPhotos."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.bulk_tags import PhotosTagged

__all__ = ["RESOLVERS"]


async def _tag_photos(
    _obj: Any, info: GraphQLResolveInfo, libraryId: str, photoIds: list[str], name: str
) -> PhotosTagged:
    context = context_of(info)
    return await context.services.photos.tag_photos(context.viewer, libraryId, photoIds, name)


async def _untag_photos(
    _obj: Any, info: GraphQLResolveInfo, tagId: str, photoIds: list[str]
) -> PhotosTagged:
    context = context_of(info)
    return await context.services.photos.untag_photos(context.viewer, tagId, photoIds)


def _photo_ids(obj: PhotosTagged, _info: GraphQLResolveInfo) -> list[str]:
    return [str(p) for p in obj.photo_ids]


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Mutation", "tagPhotos"): _tag_photos,
    ("Mutation", "untagPhotos"): _untag_photos,
    ("PhotosTagged", "photoIds"): _photo_ids,
}

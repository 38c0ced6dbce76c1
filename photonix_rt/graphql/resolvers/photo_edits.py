"""Photo mutations: rating, tags, albums (the service checks the editor role)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

__all__ = ["RESOLVERS"]


async def _rate_photo(_obj: Any, info: GraphQLResolveInfo, photoId: str, rating: int) -> Any:
    context = context_of(info)
    return await context.services.photos.rate(context.viewer, photoId, rating)


async def _add_photo_tag(_obj: Any, info: GraphQLResolveInfo, photoId: str, name: str,
                         type: str = "user") -> Any:
    context = context_of(info)
    return await context.services.photos.add_tag(context.viewer, photoId, name, type)


async def _remove_photo_tag(_obj: Any, info: GraphQLResolveInfo, photoId: str,
                            tagId: str) -> Any:
    context = context_of(info)
    return await context.services.photos.remove_tag(context.viewer, photoId, tagId)


async def _create_album(_obj: Any, info: GraphQLResolveInfo, libraryId: str, name: str) -> Any:
    context = context_of(info)
    return await context.services.photos.create_album(context.viewer, libraryId, name)


async def _add_to_album(_obj: Any, info: GraphQLResolveInfo, albumId: str,
                        photoIds: list[str]) -> Any:
    context = context_of(info)
    return await context.services.photos.add_to_album(context.viewer, albumId, photoIds)


async def _remove_from_album(_obj: Any, info: GraphQLResolveInfo, albumId: str,
                             photoIds: list[str]) -> Any:
    context = context_of(info)
    return await context.services.photos.remove_from_album(context.viewer, albumId, photoIds)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Mutation", "ratePhoto"): _rate_photo,
    ("Mutation", "addPhotoTag"): _add_photo_tag,
    ("Mutation", "removePhotoTag"): _remove_photo_tag,
    ("Mutation", "createAlbum"): _create_album,
    ("Mutation", "addToAlbum"): _add_to_album,
    ("Mutation", "removeFromAlbum"): _remove_from_album,
}

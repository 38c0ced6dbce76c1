"""The Albums screen in GraphQL: albums with counts and covers, rename, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.loaders import loader_for

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.albums import AlbumRow

__all__ = ["RESOLVERS"]


async def _albums(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> list[AlbumRow]:
    context = context_of(info)
    return await context.services.albums.albums(context.viewer, libraryId)


async def _cover(album: AlbumRow, info: GraphQLResolveInfo) -> Any:
    if album.cover_photo_id is None:
        return None
    context = context_of(info)
    return await loader_for(context, "photos_by_id",
                            context.services.photos.photos_by_ids).load(album.cover_photo_id)


async def _rename_album(_obj: Any, info: GraphQLResolveInfo, albumId: str, name: str) -> Any:
    context = context_of(info)
    return await context.services.albums.rename(context.viewer, albumId, name)


async def _delete_album(_obj: Any, info: GraphQLResolveInfo, albumId: str) -> bool:
    context = context_of(info)
    return await context.services.albums.delete(context.viewer, albumId)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Album", "id"): lambda album, _info: album.tag.id,
    ("Album", "libraryId"): lambda album, _info: album.tag.library_id,
    ("Album", "name"): lambda album, _info: album.tag.name,
    ("Album", "photoCount"): lambda album, _info: album.photo_count,
    ("Album", "cover"): _cover,
    ("Query", "albums"): _albums,
    ("Mutation", "renameAlbum"): _rename_album,
    ("Mutation", "deleteAlbum"): _delete_album,
}

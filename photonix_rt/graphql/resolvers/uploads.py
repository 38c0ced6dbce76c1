"""The uploads folder of a library: which one it is, whether the viewer may upload, choosing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.loaders import loader_for
from photonix_rt.graphql.resolvers.auth import parse_id

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.libraries import Library, LibraryPath

__all__ = ["RESOLVERS"]


async def _uploads_folder(library: Library, info: GraphQLResolveInfo) -> LibraryPath | None:
    context = context_of(info)
    loader = loader_for(context, "library_uploads_folder",
                        context.services.uploads.folders_of_many)
    return await loader.load(library.id)


async def _can_upload(library: Library, info: GraphQLResolveInfo) -> bool:
    if library.role not in ("owner", "editor"):
        return False
    return await _uploads_folder(library, info) is not None


async def _set_uploads_folder(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                              pathId: str | None = None) -> LibraryPath | None:
    context = context_of(info)
    return await context.services.uploads.set_folder(
        context.viewer, parse_id(libraryId, "library"),
        None if pathId is None else parse_id(pathId, "library folder"))


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Library", "uploadsFolder"): _uploads_folder,
    ("Library", "canUpload"): _can_upload,
    ("Mutation", "setUploadsFolder"): _set_uploads_folder,
}

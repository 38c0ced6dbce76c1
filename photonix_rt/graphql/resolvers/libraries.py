"""Libraries, their folders and members: arguments in, the library service, values out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.loaders import loader_for
from photonix_rt.graphql.resolvers.auth import parse_id

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.libraries import Library, LibraryMember, LibraryPath

__all__ = ["ENUM_VALUES", "RESOLVERS"]

_ROLES = {"OWNER": "owner", "EDITOR": "editor", "VIEWER": "viewer"}
ENUM_VALUES = {"LibraryRole": _ROLES}


# Queries.

async def _libraries(_obj: Any, info: GraphQLResolveInfo) -> list[Library]:
    context = context_of(info)
    return await context.services.libraries.list_for(context.viewer)


async def _library(_obj: Any, info: GraphQLResolveInfo, id: str) -> Library:
    context = context_of(info)
    return await context.services.libraries.get(context.viewer, parse_id(id, "library"))


# Fields of Library: batched, so a list of libraries costs one statement per field.

async def _paths(library: Library, info: GraphQLResolveInfo) -> list[LibraryPath]:
    context = context_of(info)
    loader = loader_for(context, "library_paths", context.services.libraries.paths_of_many)
    return await loader.load(library.id)


async def _photo_count(library: Library, info: GraphQLResolveInfo) -> int:
    context = context_of(info)
    loader = loader_for(context, "library_photo_counts",
                        context.services.libraries.photo_counts)
    return await loader.load(library.id)


# Mutations.

async def _create_library(_obj: Any, info: GraphQLResolveInfo, name: str) -> Library:
    context = context_of(info)
    return await context.services.libraries.create(context.viewer, name)


async def _add_library_path(_obj: Any, info: GraphQLResolveInfo, libraryId: str, path: str,
                            watch: bool | None = True) -> LibraryPath:
    context = context_of(info)
    return await context.services.libraries.add_path(
        context.viewer, parse_id(libraryId, "library"), path, True if watch is None else watch)


async def _remove_library_path(_obj: Any, info: GraphQLResolveInfo,
                               id: str) -> bool:
    context = context_of(info)
    return await context.services.libraries.remove_path(context.viewer,
                                                        parse_id(id, "library folder"))


async def _rescan_library(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                          path: str | None = None) -> bool:
    context = context_of(info)
    return await context.services.libraries.rescan(
        context.viewer, parse_id(libraryId, "library"), path)


async def _add_library_member(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                              username: str, role: str) -> LibraryMember:
    context = context_of(info)
    return await context.services.libraries.add_member(
        context.viewer, parse_id(libraryId, "library"), username, role)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "libraries"): _libraries,
    ("Query", "library"): _library,
    ("Library", "paths"): _paths,
    ("Library", "photoCount"): _photo_count,
    ("LibraryPath", "offlineSince"): lambda path, _info: (
        path.offline_since.isoformat() if path.offline_since is not None else None),
    ("Mutation", "createLibrary"): _create_library,
    ("Mutation", "addLibraryPath"): _add_library_path,
    ("Mutation", "removeLibraryPath"): _remove_library_path,
    ("Mutation", "rescanLibrary"): _rescan_library,
    ("Mutation", "addLibraryMember"): _add_library_member,
    ("LibraryMember", "userId"): lambda member, _info: member.user_id,
}

"""The trash in GraphQL: move photos in and out, list it, empty it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.plain import iso
from photonix_rt.services.trash import encode_cursor

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

__all__ = ["RESOLVERS"]


async def _trash(_obj: Any, info: GraphQLResolveInfo, libraryId: str, first: int = 50,
                 after: str | None = None) -> dict[str, Any]:
    context = context_of(info)
    rows, total = await context.services.trash.page(context.viewer, libraryId, first, after)
    page = rows[:max(first, 1)]
    edges = [{"cursor": encode_cursor(p), "node": p} for p in page]
    return {"totalCount": total, "edges": edges,
            "pageInfo": {"hasNextPage": len(rows) > len(page),
                         "endCursor": edges[-1]["cursor"] if edges else after}}


async def _trash_photos(_obj: Any, info: GraphQLResolveInfo, photoIds: list[str]) -> list[str]:
    context = context_of(info)
    return [str(p) for p in await context.services.trash.move(context.viewer, photoIds, True)]


async def _restore_photos(_obj: Any, info: GraphQLResolveInfo,
                          photoIds: list[str]) -> list[str]:
    context = context_of(info)
    return [str(p) for p in await context.services.trash.move(context.viewer, photoIds, False)]


async def _empty_trash(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> int:
    context = context_of(info)
    return await context.services.trash.empty(context.viewer, libraryId)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Photo", "trashedAt"): iso("trashed_at"),
    ("Query", "trash"): _trash,
    ("Mutation", "trashPhotos"): _trash_photos,
    ("Mutation", "restorePhotos"): _restore_photos,
    ("Mutation", "emptyTrash"): _empty_trash,
}

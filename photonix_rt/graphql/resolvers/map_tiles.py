"""The online map background: arguments in, ``MapTiles`` service, values out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.map_tiles import MapTileSource

__all__ = ["RESOLVERS"]


async def _map_tile_source(_obj: Any, info: GraphQLResolveInfo) -> MapTileSource | None:
    context = context_of(info)
    return await context.services.map_tiles.get(context.viewer)


async def _set_map_tile_source(
    _obj: Any, info: GraphQLResolveInfo, url: str, attribution: str
) -> MapTileSource:
    context = context_of(info)
    return await context.services.map_tiles.set(context.viewer, url, attribution)


async def _clear_map_tile_source(_obj: Any, info: GraphQLResolveInfo) -> bool:
    context = context_of(info)
    return await context.services.map_tiles.clear(context.viewer)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "mapTileSource"): _map_tile_source,
    ("Mutation", "setMapTileSource"): _set_map_tile_source,
    ("Mutation", "clearMapTileSource"): _clear_map_tile_source,
    ("MapTileSource", "kind"): lambda source, _info: source.kind.value,
    ("MapTileSource", "updatedAt"): lambda source, _info: source.updated_at.isoformat(),
}

"""The online map background: the one row of ``map_tile_source`` (none: offline map)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["MapTileRow", "clear_map_tiles", "get_map_tiles", "set_map_tiles"]


@dataclass(frozen=True)
class MapTileRow:
    url: str
    attribution: str
    updated_at: datetime


async def get_map_tiles(db: Queryable) -> MapTileRow | None:
    row = await db.fetchrow("SELECT url, attribution, updated_at FROM map_tile_source")
    return MapTileRow(row["url"], row["attribution"], row["updated_at"]) if row else None


async def set_map_tiles(db: Queryable, url: str, attribution: str, user_id: UUID) -> MapTileRow:
    row = await db.fetchrow(
        """
        INSERT INTO map_tile_source (url, attribution, updated_by) VALUES ($1, $2, $3)
        ON CONFLICT (only_row) DO UPDATE
            SET url = $1, attribution = $2, updated_by = $3, updated_at = now()
        RETURNING url, attribution, updated_at
        """,
        url,
        attribution,
        user_id,
    )
    assert row is not None  # INSERT ... RETURNING always returns the row
    return MapTileRow(row["url"], row["attribution"], row["updated_at"])


async def clear_map_tiles(db: Queryable) -> bool:
    """True when a source was set."""
    status = await db.execute("DELETE FROM map_tile_source")
    return status != "DELETE 0"

"""Photo positions in a bounding box, for the map: ids and coordinates only.

Served by ``photos_box_idx`` (library_id, latitude, longitude, ..., id; photos with a
position and not in the trash, migration 022): one index range on latitude, longitude
checked inside the index, and no table read where the visibility map allows (an index-only
scan).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import Bbox

__all__ = ["Positions", "positions_in_box"]

_IN_BOX = """
    p.library_id = $1 AND p.latitude IS NOT NULL AND p.longitude IS NOT NULL
    AND p.trashed_at IS NULL AND p.latitude BETWEEN $2 AND $3
"""


@dataclass(frozen=True)
class Positions:
    """Parallel columns, one entry per photo. Ids as text: the API sends them so, and
    making 50,000 UUID objects into strings cost more than the query."""

    ids: tuple[str, ...] = ()
    latitudes: tuple[float, ...] = ()
    longitudes: tuple[float, ...] = ()


async def positions_in_box(db: Queryable, library_id: UUID, box: Bbox,
                           limit: int) -> Positions:
    """Up to ``limit`` positions inside the box (west > east crosses the antimeridian:
    two index ranges, east of ``west`` and west of ``east``, so both stay index conditions
    instead of a filter over the whole latitude band)."""
    columns = "SELECT p.id::text, p.latitude, p.longitude FROM photos p WHERE"
    if box.west <= box.east:
        sql = f"{columns} {_IN_BOX} AND p.longitude BETWEEN $4 AND $5 LIMIT $6"
    else:
        sql = (f"({columns} {_IN_BOX} AND p.longitude BETWEEN $4 AND 180 LIMIT $6)"
               f" UNION ALL ({columns} {_IN_BOX} AND p.longitude BETWEEN -180 AND $5"
               " LIMIT $6) LIMIT $6")
    rows = await db.fetch(sql, library_id, box.south, box.north, box.west, box.east, limit)
    return Positions(*zip(*rows, strict=True)) if rows else Positions()

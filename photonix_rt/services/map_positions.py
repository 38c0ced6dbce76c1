"""The map's positions: photos of a library inside a box, compactly (viewer role)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid
from photonix_rt.ids import parse_uuid
from photonix_rt.store import map_positions
from photonix_rt.store.photo_filter import Bbox

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.store.db import Database

__all__ = ["MAX_POSITIONS", "MapService"]

# One answer holds at most this many positions (~40 bytes each as JSON); the map asks for
# a smaller box when ``truncated`` says some were left out.
MAX_POSITIONS = 200_000


def parse_box(box: dict[str, float]) -> Bbox:
    south, north, west, east = box["south"], box["north"], box["west"], box["east"]
    if not (-90 <= south <= north <= 90) or not (-180 <= west <= 180 and -180 <= east <= 180):
        raise Invalid("the box must lie within -90..90 latitude and -180..180 longitude, "
                      "south <= north")
    return Bbox(south, west, north, east)


class MapService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def positions(self, viewer: Viewer | None, library_id: Any, box: dict[str, float],
                        limit: int) -> tuple[map_positions.Positions, bool]:
        """(positions, truncated) of the photos inside ``box``."""
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if limit < 1:
            raise Invalid("limit must be at least 1")
        wanted = min(limit, MAX_POSITIONS)
        found = await map_positions.positions_in_box(self._db, library, parse_box(box),
                                                     wanted + 1)
        if len(found.ids) <= wanted:
            return found, False
        return map_positions.Positions(found.ids[:wanted], found.latitudes[:wanted],
                                       found.longitudes[:wanted]), True

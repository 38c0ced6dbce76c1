"""Library folders: the paths each library imports from and watches."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["LibraryPath", "all_paths", "paths_of"]


@dataclass(frozen=True)
class LibraryPath:
    id: UUID
    library_id: UUID
    path: str
    watch: bool


def _path(r: object) -> LibraryPath:
    return LibraryPath(r["id"], r["library_id"], r["path"], r["watch"])  # type: ignore[index]


async def all_paths(db: Queryable) -> list[LibraryPath]:
    """Every folder of every library (start-up scan, watcher)."""
    rows = await db.fetch(
        "SELECT id, library_id, path, watch FROM library_paths ORDER BY library_id, path")
    return [_path(r) for r in rows]


async def paths_of(db: Queryable, library_id: UUID) -> list[LibraryPath]:
    rows = await db.fetch(
        "SELECT id, library_id, path, watch FROM library_paths WHERE library_id = $1 "
        "ORDER BY path",
        library_id,
    )
    return [_path(r) for r in rows]

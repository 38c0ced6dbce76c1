"""Libraries and their folders (``libraries``, ``library_paths``), seen from a member."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from photonix_rt.errors import Conflict
from photonix_rt.store.db import Queryable

__all__ = [
    "Library",
    "LibraryPath",
    "all_paths",
    "delete_path",
    "get_library",
    "get_library_by_name",
    "get_path",
    "get_path_by_value",
    "insert_library",
    "insert_path",
    "libraries_of_user",
    "paths_of_libraries",
    "photo_counts",
    "set_path_offline",
    "set_path_watch",
]


@dataclass(frozen=True)
class Library:
    """A library; ``role`` is the viewer's role when loaded for a user, else None."""

    id: UUID
    name: str
    created_at: datetime
    role: str | None = None


@dataclass(frozen=True)
class LibraryPath:
    """A folder a library imports from (and watches when ``watch``)."""

    id: UUID
    library_id: UUID
    path: str
    watch: bool
    offline_since: datetime | None = None  # set while the folder cannot be reached

    @property
    def online(self) -> bool:
        return self.offline_since is None


def _library(r: Any) -> Library:
    return Library(r["id"], r["name"], r["created_at"], r.get("role"))


def _path(r: Any) -> LibraryPath:
    return LibraryPath(r["id"], r["library_id"], r["path"], r["watch"], r["offline_since"])


async def insert_library(db: Queryable, name: str) -> Library:
    """A new library; Conflict when the name is taken."""
    try:
        row = await db.fetchrow(
            "INSERT INTO libraries (name) VALUES ($1) RETURNING id, name, created_at", name)
    except asyncpg.UniqueViolationError:
        raise Conflict(f"a library called {name!r} exists") from None
    return _library(row)


async def get_library(db: Queryable, library_id: UUID) -> Library | None:
    row = await db.fetchrow("SELECT id, name, created_at FROM libraries WHERE id = $1",
                            library_id)
    return _library(row) if row else None


async def get_library_by_name(db: Queryable, name: str) -> Library | None:
    row = await db.fetchrow("SELECT id, name, created_at FROM libraries WHERE name = $1", name)
    return _library(row) if row else None


async def libraries_of_user(db: Queryable, user_id: UUID) -> list[Library]:
    """The user's libraries with the user's role in each, by name."""
    rows = await db.fetch(
        """
        SELECT l.id, l.name, l.created_at, m.role
        FROM libraries l JOIN library_members m ON m.library_id = l.id
        WHERE m.user_id = $1
        ORDER BY l.name, l.id
        """,
        user_id,
    )
    return [_library(r) for r in rows]


async def insert_path(db: Queryable, library_id: UUID, path: str, watch: bool) -> LibraryPath:
    """A new folder of the library; Conflict if the library has it already."""
    try:
        row = await db.fetchrow(
            """
            INSERT INTO library_paths (library_id, path, watch) VALUES ($1, $2, $3)
            RETURNING id, library_id, path, watch, offline_since
            """,
            library_id, path, watch,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict("the library already has this folder") from None
    return _path(row)


async def get_path(db: Queryable, path_id: UUID) -> LibraryPath | None:
    row = await db.fetchrow(
        "SELECT id, library_id, path, watch, offline_since FROM library_paths WHERE id = $1",
        path_id)
    return _path(row) if row else None


async def get_path_by_value(db: Queryable, library_id: UUID, path: str) -> LibraryPath | None:
    row = await db.fetchrow(
        "SELECT id, library_id, path, watch, offline_since FROM library_paths "
        "WHERE library_id = $1 AND path = $2",
        library_id, path,
    )
    return _path(row) if row else None


async def delete_path(db: Queryable, path_id: UUID) -> bool:
    status = await db.execute("DELETE FROM library_paths WHERE id = $1", path_id)
    return status.endswith(" 1")


async def paths_of_libraries(db: Queryable,
                             library_ids: Sequence[UUID]) -> list[list[LibraryPath]]:
    """Each library's folders, in the order of ``library_ids`` (one statement)."""
    rows = await db.fetch(
        "SELECT id, library_id, path, watch, offline_since FROM library_paths "
        "WHERE library_id = ANY($1::uuid[]) ORDER BY path, id",
        list(library_ids),
    )
    by_library: dict[UUID, list[LibraryPath]] = {i: [] for i in library_ids}
    for r in rows:
        by_library[r["library_id"]].append(_path(r))
    return [by_library[i] for i in library_ids]


async def photo_counts(db: Queryable, library_ids: Sequence[UUID]) -> list[int]:
    """Photos per library, in the order of ``library_ids`` (one statement, kept counts)."""
    rows = await db.fetch(
        "SELECT l.id, library_count(l.id, 'photos', l.id) AS n"
        " FROM unnest($1::uuid[]) AS l(id)",
        list(library_ids),
    )
    counts = {r["id"]: r["n"] for r in rows}
    return [counts.get(i, 0) for i in library_ids]


async def set_path_offline(db: Queryable, library_id: UUID, path: str,
                           offline: bool) -> LibraryPath | None:
    """Mark the folder offline (since now) or back online; the folder only if that changed
    its state (None when it already was, or is not a folder of the library)."""
    row = await db.fetchrow(
        """
        UPDATE library_paths
        SET offline_since = CASE WHEN $3 THEN now() ELSE NULL END
        WHERE library_id = $1 AND path = $2 AND (offline_since IS NULL) = $3
        RETURNING id, library_id, path, watch, offline_since
        """,
        library_id, path, offline,
    )
    return _path(row) if row else None


async def all_paths(db: Queryable) -> list[LibraryPath]:
    """Every folder of every library (start-up scan, rescans, the watcher)."""
    rows = await db.fetch(
        "SELECT id, library_id, path, watch, offline_since FROM library_paths "
        "ORDER BY library_id, path")
    return [_path(r) for r in rows]


async def set_path_watch(db: Queryable, path_id: UUID, watch: bool) -> LibraryPath | None:
    """Watch a folder for changes, or stop; the folder as it is now (None if gone)."""
    row = await db.fetchrow(
        "UPDATE library_paths SET watch = $2 WHERE id = $1"
        " RETURNING id, library_id, path, watch, offline_since", path_id, watch)
    return _path(row) if row else None

"""Counts for operators: ``photonix-rt status`` and the ``photonix_jobs`` metric."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from photonix_rt.store.db import Queryable

__all__ = ["LibraryCounts", "PathState", "jobs_by_stage", "libraries_overview", "paths_overview"]


@dataclass(frozen=True)
class LibraryCounts:
    name: str
    photos: int
    files_failed: int
    files_missing: int


@dataclass(frozen=True)
class PathState:
    library: str
    path: str
    watch: bool
    offline_since: datetime | None


async def jobs_by_stage(db: Queryable) -> dict[tuple[str, str], int]:
    """``{(stage, status): jobs}`` over every library."""
    rows = await db.fetch("SELECT stage, status, count(*) AS n FROM jobs GROUP BY stage, status")
    return {(r["stage"], r["status"]): r["n"] for r in rows}


async def libraries_overview(db: Queryable) -> list[LibraryCounts]:
    """Each library with its photos and its files that failed or went missing, by name."""
    rows = await db.fetch(
        """
        SELECT l.name,
               (SELECT count(*) FROM photos p WHERE p.library_id = l.id) AS photos,
               (SELECT count(*) FROM photo_files f
                 WHERE f.library_id = l.id AND f.status = 'error') AS failed,
               (SELECT count(*) FROM photo_files f
                 WHERE f.library_id = l.id AND f.status = 'missing') AS missing
        FROM libraries l ORDER BY l.name
        """)
    return [LibraryCounts(r["name"], r["photos"], r["failed"], r["missing"]) for r in rows]


async def paths_overview(db: Queryable) -> list[PathState]:
    rows = await db.fetch(
        "SELECT l.name, p.path, p.watch, p.offline_since FROM library_paths p"
        " JOIN libraries l ON l.id = p.library_id ORDER BY l.name, p.path")
    return [PathState(r["name"], r["path"], r["watch"], r["offline_since"]) for r in rows]

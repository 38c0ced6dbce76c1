"""The files a library knows below a folder, in byte ("C") order, a batch at a time.

Rescans merge these with a walk of the folder in the same order (services/rescan.py), so
neither side is ever held whole in memory. A folder's files are the half-open range
[folder + "/", folder + "0"): "0" is the character right after "/", so every path below the
folder, and nothing else, sorts inside it (migration 010 indexes exactly this order).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["KnownStat", "any_file_below", "files_below_after", "folder_range"]


@dataclass(frozen=True, slots=True)
class KnownStat:
    """Just what the unchanged-file check needs (fewer columns: less to decode per row)."""

    path: str
    size: int
    mtime_ns: int
    status: str


def folder_range(folder: str) -> tuple[str, str]:
    """The (exclusive, exclusive) bounds of the paths below ``folder`` in byte order."""
    base = folder.rstrip("/")
    return base + "/", base + "0"


async def files_below_after(db: Queryable, library_id: UUID, folder: str, after: str | None,
                            limit: int) -> list[KnownStat]:
    """Up to ``limit`` known files below ``folder`` whose path sorts after ``after`` (from
    the first when None), in byte order. Keyset pages: no cursor, no long transaction."""
    low, high = folder_range(folder)
    rows = await db.fetch(
        """
        SELECT path, size, mtime_ns, status
        FROM photo_files
        WHERE library_id = $1 AND (path COLLATE "C") > $2 AND (path COLLATE "C") < $3
        ORDER BY (path COLLATE "C")
        LIMIT $4
        """,
        library_id, low if after is None else max(after, low), high, limit,
    )
    return [KnownStat(*r) for r in rows]


async def any_file_below(db: Queryable, library_id: UUID, folder: str) -> bool:
    """Whether the library knows a file (not missing) at ``folder`` or below it."""
    low, high = folder_range(folder)
    return bool(await db.fetchval(
        """
        SELECT EXISTS (
            SELECT 1 FROM photo_files
            WHERE library_id = $1 AND status <> 'missing'
              AND ((path COLLATE "C") > $2 AND (path COLLATE "C") < $3 OR path = $4))
        """,
        library_id, low, high, folder,
    ))

"""Which folder of a library receives uploads (``library_uploads``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.libraries import LibraryPath

__all__ = ["clear_uploads_path", "set_uploads_path", "uploads_paths"]


async def uploads_paths(db: Queryable,
                        library_ids: Sequence[UUID]) -> list[LibraryPath | None]:
    """Each library's uploads folder (None when it has none), in order (one statement)."""
    rows = await db.fetch(
        "SELECT p.id, p.library_id, p.path, p.watch, p.offline_since"
        " FROM library_uploads u JOIN library_paths p"
        "   ON p.id = u.path_id AND p.library_id = u.library_id"
        " WHERE u.library_id = ANY($1::uuid[])",
        list(library_ids),
    )
    found = {r["library_id"]: LibraryPath(r["id"], r["library_id"], r["path"], r["watch"],
                                         r["offline_since"]) for r in rows}
    return [found.get(i) for i in library_ids]


async def set_uploads_path(db: Queryable, library_id: UUID, path_id: UUID) -> bool:
    """Make a folder of the library its uploads folder; False if it is not one of its folders."""
    row = await db.fetchrow(
        """
        INSERT INTO library_uploads (library_id, path_id)
        SELECT library_id, id FROM library_paths WHERE id = $2 AND library_id = $1
        ON CONFLICT (library_id) DO UPDATE SET path_id = EXCLUDED.path_id, chosen_at = now()
        RETURNING library_id
        """,
        library_id, path_id,
    )
    return row is not None


async def clear_uploads_path(db: Queryable, library_id: UUID) -> None:
    """The library stops taking uploads."""
    await db.execute("DELETE FROM library_uploads WHERE library_id = $1", library_id)

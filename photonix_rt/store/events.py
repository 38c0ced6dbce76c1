"""The event log table: append inside the change's transaction, read back by sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["EventRow", "append", "events_since", "prune_before"]


@dataclass(frozen=True)
class EventRow:
    sequence: int
    kind: str
    library_id: UUID | None
    photo_id: UUID | None
    payload: dict[str, Any]
    created_at: datetime


def _row(r: Any) -> EventRow:
    return EventRow(r["sequence"], r["kind"], r["library_id"], r["photo_id"], r["payload"],
                    r["created_at"])


async def append(db: Queryable, kind: str, library_id: UUID | None, photo_id: UUID | None,
                 payload: dict[str, Any]) -> EventRow:
    row = await db.fetchrow(
        """
        INSERT INTO events (kind, library_id, photo_id, payload) VALUES ($1, $2, $3, $4)
        RETURNING sequence, kind, library_id, photo_id, payload, created_at
        """,
        kind, library_id, photo_id, payload,
    )
    return _row(row)


async def events_since(db: Queryable, after: int, library_ids: list[UUID],
                       limit: int = 1000) -> list[EventRow]:
    """Events after ``after`` in the given libraries, oldest first."""
    rows = await db.fetch(
        """
        SELECT sequence, kind, library_id, photo_id, payload, created_at FROM events
        WHERE sequence > $1 AND library_id = ANY($2::uuid[])
        ORDER BY sequence LIMIT $3
        """,
        after, library_ids, limit,
    )
    return [_row(r) for r in rows]


async def prune_before(db: Queryable, cutoff: datetime) -> int:
    """Delete events older than ``cutoff``; return how many."""
    status = await db.execute("DELETE FROM events WHERE created_at < $1", cutoff)
    return int(status.split()[-1])

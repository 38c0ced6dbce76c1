"""The event log table: append inside the change's transaction, read back by sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["EventRow", "append", "channel_id", "events_after", "events_since",
           "last_sequence", "oldest_sequence", "prune_before"]


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
    """Append one event; call it inside the change's transaction, as late as possible.

    Why a counter row and not a bigserial: bigserial numbers are taken at INSERT but become
    visible at COMMIT, so concurrent transactions can commit 12 before 11 and a reader that
    saw 12 would skip 11 forever. The upsert below row-locks the counter until this
    transaction ends, so event-writing transactions serialise from here to their commit:
    commit order equals sequence order and a rolled-back number is reused (no gaps). The
    cost is that such transactions queue behind each other for their last few statements;
    taking the number as the last step keeps that short, and a transaction that holds the
    counter waits for no other lock, so it cannot deadlock.
    """
    row = await db.fetchrow(
        """
        WITH next AS (
            INSERT INTO event_sequence (id, last) VALUES (true, 1)
            ON CONFLICT (id) DO UPDATE SET last = event_sequence.last + 1
            RETURNING last
        )
        INSERT INTO events (sequence, kind, library_id, photo_id, payload)
        SELECT next.last, $1, $2, $3, $4 FROM next
        RETURNING sequence, kind, library_id, photo_id, payload, created_at
        """,
        kind, library_id, photo_id, payload,
    )
    return _row(row)


async def events_since(db: Queryable, after: int, library_ids: list[UUID],
                       limit: int = 500) -> list[EventRow]:
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


async def events_after(db: Queryable, after: int, limit: int = 500) -> list[EventRow]:
    """Every event after ``after``, oldest first (a process catching up on what it missed)."""
    rows = await db.fetch(
        """
        SELECT sequence, kind, library_id, photo_id, payload, created_at FROM events
        WHERE sequence > $1 ORDER BY sequence LIMIT $2
        """,
        after, limit,
    )
    return [_row(r) for r in rows]


async def last_sequence(db: Queryable) -> int:
    """The last committed sequence (0 before the first event)."""
    value = await db.fetchval("SELECT last FROM event_sequence WHERE id")
    return int(value or 0)


async def oldest_sequence(db: Queryable) -> int | None:
    """The oldest sequence still in the log, or None when it is empty."""
    value = await db.fetchval("SELECT min(sequence) FROM events")
    return None if value is None else int(value)


async def channel_id(db: Queryable) -> UUID:
    """This database's event channel id (created on first use)."""
    return await db.fetchval(
        """
        WITH created AS (
            INSERT INTO event_channel DEFAULT VALUES ON CONFLICT (only_row) DO NOTHING
            RETURNING id
        )
        SELECT id FROM created UNION ALL SELECT id FROM event_channel LIMIT 1
        """
    )


async def prune_before(db: Queryable, cutoff: datetime) -> int:
    """Delete events older than ``cutoff``; return how many."""
    status = await db.execute("DELETE FROM events WHERE created_at < $1", cutoff)
    return int(status.split()[-1])

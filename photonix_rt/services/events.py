"""Record events in the change's transaction; publish them once it has committed.

Usage::

    async with db.transaction() as conn:
        ...the change...
        event = await events.record(conn, EventKind.PHOTO_ADDED, library_id, photo_id)
    await events.publish(event)
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from photonix_rt.events.bus import Bus
from photonix_rt.events.types import EventKind, EventMessage, library_topic
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database, Queryable

__all__ = ["EventService"]

log = logging.getLogger(__name__)


class EventService:
    """Writes the event log and publishes committed events on the bus."""

    def __init__(self, db: Database, bus: Bus) -> None:
        self._db = db
        self._bus = bus

    async def record(self, conn: Queryable, kind: EventKind, library_id: UUID | None,
                     photo_id: UUID | None = None,
                     payload: dict[str, Any] | None = None) -> EventMessage:
        """Append to the log inside the caller's transaction; publish after commit."""
        row = await events_store.append(conn, str(kind), library_id, photo_id, payload or {})
        return EventMessage(
            sequence=row.sequence,
            kind=row.kind,
            library_id=str(library_id) if library_id else None,
            photo_id=str(photo_id) if photo_id else None,
            payload=row.payload,
        )

    async def publish(self, *messages: EventMessage) -> None:
        """Send committed events to every subscriber (all processes, through the bus)."""
        for message in messages:
            if message.library_id is None:
                continue
            await self._bus.publish(library_topic(message.library_id), message)

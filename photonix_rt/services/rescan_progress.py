"""RESCAN_PROGRESS events: where a rescan asked for over the API stands, pushed as it goes.

The importer reports every file it checks; at a million files that would be a million
events, so only the latest state is kept and published at most once per interval, and a last
event says the scan is done with its counts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.events.types import EventKind

if TYPE_CHECKING:
    from photonix_rt.services.events import EventService
    from photonix_rt.services.importer import ImportProgress, ImportSummary
    from photonix_rt.store.db import Database

__all__ = ["RescanProgress"]

log = logging.getLogger(__name__)


class RescanProgress:
    """The progress of one scan of one library, published at most once per interval."""

    def __init__(self, db: Database, events: EventService, library_id: UUID,
                 interval_s: float = 0.5) -> None:
        self._db = db
        self._events = events
        self._library_id = library_id
        self._interval_s = interval_s
        self._last_sent = 0.0
        self._sending: asyncio.Task[None] | None = None
        self._latest: dict[str, Any] | None = None
        self._folder: str | None = None

    def update(self, progress: ImportProgress) -> None:
        """The importer's callback (synchronous): remember, and publish when one is due."""
        if progress.phase == "counting":  # a folder starts: its path comes with the count
            self._folder = progress.path
        self._latest = {"path": self._folder, "done": progress.done, "total": progress.total,
                        "phase": "counting" if progress.phase == "counting" else "checking"}
        now = time.monotonic()
        if now - self._last_sent >= self._interval_s and (
                self._sending is None or self._sending.done()):
            self._last_sent = now
            self._sending = asyncio.create_task(self._publish(self._latest))

    async def finish(self, folder: str | None, summary: ImportSummary) -> None:
        """The last event of the scan: done, with what it found."""
        if self._sending is not None:
            await asyncio.gather(self._sending, return_exceptions=True)
        await self._publish({"path": folder, "phase": "done",
                             "done": sum(summary.counts.values()),
                             "total": sum(summary.counts.values()),
                             "counts": dict(summary.counts), "missing": len(summary.missing)})

    async def _publish(self, payload: dict[str, Any]) -> None:
        try:
            async with self._db.transaction() as conn:
                message = await self._events.record(conn, EventKind.RESCAN_PROGRESS,
                                                    self._library_id, None, payload)
            await self._events.publish(message)
        except Exception:  # progress is a courtesy: the scan goes on without it
            log.warning("rescan progress of library %s not published", self._library_id,
                        exc_info=True)

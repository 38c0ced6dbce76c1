"""JOB_PROGRESS events per library: counts by status and an ETA, at most a few per second."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.events.types import EventKind
from photonix_rt.store import jobs as jobs_store

if TYPE_CHECKING:
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database

__all__ = ["ProgressReporter", "progress_payload"]

log = logging.getLogger(__name__)

THROUGHPUT_WINDOW_S = 60.0


def progress_payload(counts: dict[str, int], done_recently: int,
                     window_s: float) -> dict[str, Any]:
    """Counts plus an ETA from the recent completion rate (None when nothing finished)."""
    remaining = counts.get("queued", 0) + counts.get("running", 0)
    rate = done_recently / window_s if window_s > 0 else 0.0
    eta = round(remaining / rate, 1) if remaining and rate > 0 else (0.0 if not remaining
                                                                     else None)
    return {"queued": counts.get("queued", 0), "running": counts.get("running", 0),
            "done": counts.get("done", 0), "failed": counts.get("failed", 0),
            "etaSeconds": eta}


class ProgressReporter:
    """Collects libraries whose jobs changed; publishes each at most once per interval."""

    def __init__(self, db: Database, events: EventService, interval_s: float = 0.5) -> None:
        self._db = db
        self._events = events
        self.interval_s = interval_s
        self._dirty: set[UUID] = set()
        self._changed = asyncio.Event()
        self._started = time.monotonic()

    def touch(self, library_id: UUID) -> None:
        self._dirty.add(library_id)
        self._changed.set()

    async def run(self) -> None:
        """Publish loop; cancelled by the runner on close."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            dirty, self._dirty = self._dirty, set()
            for library_id in sorted(dirty):
                try:
                    await self.publish(library_id)
                except Exception:
                    log.warning("progress of library %s not published", library_id,
                                exc_info=True)
            await asyncio.sleep(self.interval_s)  # the rate limit: one round per interval

    async def flush(self) -> None:
        """Publish what is pending now (on close, so the last state is announced)."""
        dirty, self._dirty = self._dirty, set()
        for library_id in sorted(dirty):
            await self.publish(library_id)

    async def publish(self, library_id: UUID) -> None:
        window = min(THROUGHPUT_WINDOW_S, max(1.0, time.monotonic() - self._started))
        async with self._db.transaction() as conn:
            counts = await jobs_store.counts_by_status(conn, library_id)
            recent = await jobs_store.done_since(conn, library_id, window)
            message = await self._events.record(conn, EventKind.JOB_PROGRESS, library_id, None,
                                                progress_payload(counts, recent, window))
        await self._events.publish(message)

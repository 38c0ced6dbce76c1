"""Record events in the change's transaction, publish them after commit, stream them back.

Usage::

    async with db.transaction() as conn:
        ...the change...
        event = await events.record(conn, EventKind.PHOTO_ADDED, library_id, photo_id)
    await events.publish(event)

    async for event in await events.stream(viewer, library_id=None, since=41):
        ...every event after 41 in the viewer's libraries, then live ones, in order...
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Invalid, NotFound
from photonix_rt.events.bus import Bus, Gap, Unavailable
from photonix_rt.events.sequencer import Sequencer
from photonix_rt.events.types import EventKind, EventMessage, events_topic
from photonix_rt.store import events as events_store
from photonix_rt.store import members
from photonix_rt.store.db import Database, Queryable

__all__ = ["EventService"]

log = logging.getLogger(__name__)

_ACCESS_TTL_S = 5.0      # how stale a membership answer may be when re-checked per event
_REPLAY_PAGE = 500


def _message(row: events_store.EventRow) -> EventMessage:
    return EventMessage(
        sequence=row.sequence,
        kind=row.kind,
        library_id=str(row.library_id) if row.library_id else None,
        photo_id=str(row.photo_id) if row.photo_id else None,
        payload=row.payload,
        created_at=row.created_at.astimezone(UTC).isoformat(),
    )


def coalesce_progress(messages: list[EventMessage]) -> list[EventMessage]:
    """Drop each JOB_PROGRESS that a later one of the same library supersedes."""
    latest: dict[str | None, int] = {}
    for message in messages:
        if message.kind == EventKind.JOB_PROGRESS:
            latest[message.library_id] = message.sequence
    return [m for m in messages
            if m.kind != EventKind.JOB_PROGRESS or latest[m.library_id] == m.sequence]


class EventService:
    """Writes the event log, publishes committed events, and serves ordered streams."""

    def __init__(self, db: Database, bus: Bus, *, retention_days: int = 30,
                 subscriber_queue: int = 1000) -> None:
        self._db = db
        self._bus = bus
        self._retention = timedelta(days=retention_days)
        self._subscriber_queue = subscriber_queue
        self._sequencer: Sequencer | None = None
        self._topic: str | None = None
        self._start_lock = asyncio.Lock()
        self._access: dict[tuple[UUID, str], tuple[bool, float]] = {}
        # One membership read in flight per (user, library): when the cached answer
        # expires, every stream of that user asks at once (a thousand sockets, one read).
        self._access_reads: dict[tuple[UUID, str], asyncio.Future[bool]] = {}

    # ---- writing ------------------------------------------------------------------------

    async def record(self, conn: Queryable, kind: EventKind, library_id: UUID | None,
                     photo_id: UUID | None = None,
                     payload: dict[str, Any] | None = None) -> EventMessage:
        """Append to the log inside the caller's transaction; publish after commit.

        Call it as the transaction's last statement: it serialises event-writing
        transactions from here to their commit (see ``store.events.append``).
        """
        row = await events_store.append(conn, str(kind), library_id, photo_id, payload or {})
        return _message(row)

    async def publish(self, *messages: EventMessage) -> None:
        """Send committed events to every process; never raises for a bus outage.

        The events are committed, so the change they report has happened: a failed publish
        loses nothing (each process's sequencer reads missed events from the log, and polls
        it while the bus is down). The rest of the batch is skipped after the first failure
        so that an outage costs one attempt per batch, not one per event.
        """
        if not messages:
            return
        topic = await self._events_topic()
        for message in messages:
            try:
                await self._bus.publish(topic, message)
            except Unavailable as error:
                log.warning("could not publish events %d..%d (%s); readers catch up from "
                            "the log", message.sequence, messages[-1].sequence, error)
                return

    async def prune(self) -> int:
        """Delete events older than the retention period; return how many."""
        cutoff = datetime.now(UTC) - self._retention
        removed = await events_store.prune_before(self._db, cutoff)
        if removed:
            log.info("pruned %d events older than %s", removed, cutoff.isoformat())
        return removed

    async def run_pruning(self, interval_s: float = 3600.0) -> None:
        """Prune now and then until cancelled (a task the app starts)."""
        while True:
            try:
                await self.prune()
            except Exception:
                log.exception("pruning the event log failed")
            await asyncio.sleep(interval_s)

    # ---- reading --------------------------------------------------------------------------

    async def _events_topic(self) -> str:
        if self._topic is None:
            # Keyed by database, so deployments sharing one Redis never hear each other.
            self._topic = events_topic(str(await events_store.channel_id(self._db)))
        return self._topic

    async def start(self) -> None:
        """Start listening to the bus (also done on the first ``stream``)."""
        async with self._start_lock:
            if self._sequencer is None:
                self._sequencer = Sequencer(self._bus, self._fetch_after, self._last_sequence,
                                            topic=await self._events_topic())
                await self._sequencer.start()

    async def close(self) -> None:
        if self._sequencer is not None:
            await self._sequencer.close()

    @property
    def head(self) -> int:
        """The last sequence this process has passed on to subscribers."""
        return self._sequencer.head if self._sequencer is not None else 0

    async def _fetch_after(self, after: int, limit: int) -> list[EventMessage]:
        return [_message(r) for r in await events_store.events_after(self._db, after, limit)]

    async def _last_sequence(self) -> int:
        return await events_store.last_sequence(self._db)

    def _may_see_cached(self, viewer: Viewer, library_id: str) -> bool:
        """True when a fresh cached answer says yes (the common case, without awaiting)."""
        cached = self._access.get((viewer.user_id, library_id))
        return cached is not None and cached[0] and cached[1] > time.monotonic()

    async def may_see(self, viewer: Viewer, library_id: str) -> bool:
        """Whether the viewer is (still) a member; answers are cached for a few seconds."""
        key = (viewer.user_id, library_id)
        now = time.monotonic()
        cached = self._access.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        reading = self._access_reads.get(key)
        if reading is None:
            reading = asyncio.ensure_future(self._read_access(key, library_id))
            self._access_reads[key] = reading
            reading.add_done_callback(lambda _f: self._access_reads.pop(key, None))
        return await asyncio.shield(reading)  # one reader giving up cancels no other

    async def _read_access(self, key: tuple[UUID, str], library_id: str) -> bool:
        role = await members.role_of(self._db, UUID(library_id), key[0])
        if len(self._access) > 10_000:
            self._access.clear()
        self._access[key] = (role is not None, time.monotonic() + _ACCESS_TTL_S)
        return role is not None

    async def cursor(self) -> int:
        """The log's last sequence: a ``since`` that resumes from now, whatever happens next."""
        return await events_store.last_sequence(self._db)

    async def _check_since(self, since: int) -> None:
        last = await events_store.last_sequence(self._db)
        if since > last:
            raise Invalid(f"since={since} is ahead of the event log (at {last})")
        oldest = await events_store.oldest_sequence(self._db)
        first_kept = oldest if oldest is not None else last + 1
        if since + 1 < first_kept:
            raise Invalid(f"events after {since} were pruned; reload, then subscribe "
                          "without since")

    async def stream(self, viewer: Viewer, library_id: UUID | None = None,
                     since: int | None = None) -> AsyncIterator[EventMessage]:
        """Events in one library (or all the viewer's), after ``since``, then live.

        The feed is registered *before* the log is read, and live events at or below the
        last replayed sequence are dropped: no gap and no duplicate. A feed that overflows
        (a slow consumer) is re-registered and the log replayed from the last event given.
        """
        if library_id is not None:
            if not await self.may_see(viewer, str(library_id)):
                raise NotFound("no such library")
            library_ids = [str(library_id)]
        else:
            library_ids = [str(i) for i in
                           await members.library_ids_for_user(self._db, viewer.user_id)]
        await self.start()
        assert self._sequencer is not None
        if since is not None:
            await self._check_since(since)
        last = since if since is not None else self._sequencer.head
        return self._follow(self._sequencer, viewer, library_ids, last)

    async def _follow(self, sequencer: Sequencer, viewer: Viewer, library_ids: list[str],
                      last: int) -> AsyncIterator[EventMessage]:
        uuids = [UUID(i) for i in library_ids]
        while True:
            feed = sequencer.register(library_ids, self._subscriber_queue)
            try:
                while True:  # replay, a page at a time
                    rows = await events_store.events_since(self._db, last, uuids, _REPLAY_PAGE)
                    page = [_message(r) for r in rows]
                    for message in coalesce_progress(page):
                        if message.library_id and await self.may_see(viewer, message.library_id):
                            yield message
                        last = message.sequence
                    if page:
                        last = max(last, page[-1].sequence)
                    if len(rows) < _REPLAY_PAGE:
                        break
                async for message in feed:  # then live
                    if message.sequence <= last:
                        continue
                    if message.library_id and (self._may_see_cached(viewer, message.library_id)
                                               or await self.may_see(viewer,
                                                                     message.library_id)):
                        yield message
                    last = message.sequence
            except Gap as error:
                log.debug("event feed for %s fell behind (%s); replaying from %d",
                          viewer.user_id, error, last)
                continue
            finally:
                await feed.aclose()
            return

"""The event log and ordered streams: commit order, resume, access, overflow, pruning.

Every stream test runs on both buses (in-process and the real Redis).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Invalid, NotFound
from photonix_rt.events.bus import Bus
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.events.redis_bus import RedisBus
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.services.events import EventService
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database

REDIS_URL = os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def make_bus(kind: str, prefix: str) -> Bus:
    if kind == "memory":
        return MemoryBus()
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        await client.aclose()
    return RedisBus(REDIS_URL, prefix=prefix, client_name=prefix.replace(":", "-"))


@pytest_asyncio.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[Bus]:
    opened = await make_bus(request.param, f"test-{uuid.uuid4().hex[:8]}:")
    await opened.start()
    yield opened
    await opened.close()


@pytest_asyncio.fixture
async def events(db: Database, bus: Bus) -> AsyncIterator[EventService]:
    service = EventService(db, bus, subscriber_queue=50)
    yield service
    await service.close()


async def make_user(db: Database, name: str) -> Viewer:
    user_id = await db.fetchval(
        "INSERT INTO users (username, password_hash) VALUES ($1, 'x') RETURNING id", name)
    return Viewer(user_id, name)


async def make_library(db: Database, name: str, *members: Viewer) -> uuid.UUID:
    library_id = await db.fetchval("INSERT INTO libraries (name) VALUES ($1) RETURNING id", name)
    for viewer in members:
        await db.execute("INSERT INTO library_members (library_id, user_id, role) "
                         "VALUES ($1, $2, 'viewer')", library_id, viewer.user_id)
    return library_id


async def emit(db: Database, events: EventService, library_id: uuid.UUID,
               kind: EventKind = EventKind.PHOTO_ADDED, publish: bool = True,
               **payload: object) -> EventMessage:
    async with db.transaction() as conn:
        message = await events.record(conn, kind, library_id, uuid.uuid4(), dict(payload))
    if publish:
        await events.publish(message)
    return message


class Reader:
    """Pumps a stream into a queue, so a test can wait with a timeout without cancelling
    the stream itself (cancelling an async generator's ``__anext__`` ends it)."""

    def __init__(self, stream: AsyncIterator[EventMessage]) -> None:
        self.stream = stream
        self.queue: asyncio.Queue[EventMessage] = asyncio.Queue()
        self.task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        async for message in self.stream:
            self.queue.put_nowait(message)

    async def take(self, n: int, wait_s: float = 10.0) -> list[EventMessage]:
        async def collect() -> list[EventMessage]:
            return [await self.queue.get() for _ in range(n)]
        return await asyncio.wait_for(collect(), wait_s)

    async def nothing_more(self) -> bool:
        try:
            await asyncio.wait_for(self.queue.get(), 0.5)
        except TimeoutError:
            return True
        return False

    async def aclose(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def follow(events: EventService, viewer: Viewer, library: uuid.UUID | None = None,
                 since: int | None = None) -> Reader:
    return Reader(await events.stream(viewer, library, since))


# ---- the log itself -----------------------------------------------------------------------


async def test_sequences_follow_commit_order_without_gaps(db: Database, bus: Bus) -> None:
    events = EventService(db, bus)
    library = await make_library(db, "a")
    # A rolled-back transaction gives its number back.
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await events.record(conn, EventKind.PHOTO_ADDED, library)
            raise RuntimeError("roll back")
    first = await emit(db, events, library, publish=False)
    assert first.sequence == 1
    # A second writer waits for the first one's commit, so it can never commit first.
    async with db.transaction() as conn:
        held = await events.record(conn, EventKind.PHOTO_ADDED, library)
        second = asyncio.create_task(emit(db, events, library, publish=False))
        await asyncio.sleep(0.3)
        assert not second.done()
    assert (await second).sequence == held.sequence + 1 == 3
    assert await events_store.last_sequence(db) == 3


async def test_prune_removes_only_old_events(db: Database, events: EventService) -> None:
    library = await make_library(db, "a")
    old = await emit(db, events, library, publish=False)
    new = await emit(db, events, library, publish=False)
    await db.execute("UPDATE events SET created_at = now() - interval '31 days' "
                     "WHERE sequence = $1", old.sequence)
    assert await events.prune() == 1
    left = await events_store.events_after(db, 0)
    assert [e.sequence for e in left] == [new.sequence]
    viewer = await make_user(db, "ann")
    await db.execute("INSERT INTO library_members VALUES ($1, $2, 'viewer')", library,
                     viewer.user_id)
    with pytest.raises(Invalid, match="pruned"):
        await events.stream(viewer, since=0)
    with pytest.raises(Invalid, match="ahead"):
        await events.stream(viewer, since=new.sequence + 10)


# ---- streams --------------------------------------------------------------------------------


async def test_live_stream_delivers_in_order(db: Database, events: EventService) -> None:
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    stream = await follow(events, ann, library)
    sent = [await emit(db, events, library, n=i) for i in range(5)]
    got = await stream.take(5)
    assert [(m.sequence, m.payload) for m in got] == [(m.sequence, m.payload) for m in sent]
    assert all(m.created_at for m in got)
    await stream.aclose()


async def test_each_viewer_sees_only_their_libraries(db: Database,
                                                      events: EventService) -> None:
    ann, bob = await make_user(db, "ann"), await make_user(db, "bob")
    lib_a = await make_library(db, "a", ann)
    lib_b = await make_library(db, "b", bob)
    ann_all = await follow(events, ann)
    bob_all = await follow(events, bob)
    with pytest.raises(NotFound):
        await events.stream(ann, lib_b)
    a1 = await emit(db, events, lib_a)
    b1 = await emit(db, events, lib_b)
    a2 = await emit(db, events, lib_a)
    assert [m.sequence for m in await ann_all.take(2)] == [a1.sequence, a2.sequence]
    assert [m.sequence for m in await bob_all.take(1)] == [b1.sequence]
    assert await ann_all.nothing_more()
    assert await bob_all.nothing_more()
    # Membership is re-checked per event: once removed, ann receives nothing more.
    await db.execute("DELETE FROM library_members WHERE user_id = $1", ann.user_id)
    events._access.clear()
    await emit(db, events, lib_a)
    assert await ann_all.nothing_more()
    await ann_all.aclose()
    await bob_all.aclose()


async def test_resume_replays_then_continues_live_without_gap_or_duplicate(
        db: Database, events: EventService) -> None:
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    before = [await emit(db, events, library) for _ in range(7)]
    stream = await follow(events, ann, library, since=before[2].sequence)
    # Events racing the replay: published while the stream is still replaying.
    racing = asyncio.gather(*(emit(db, events, library) for _ in range(5)))
    got = await stream.take(4 + 5)
    await racing
    after = [await emit(db, events, library) for _ in range(2)]
    got += await stream.take(2)
    expected = list(range(before[3].sequence, after[-1].sequence + 1))
    assert [m.sequence for m in got] == expected
    assert await stream.nothing_more()
    await stream.aclose()


async def test_a_cursor_taken_before_any_event_resumes_without_missing_one(
        db: Database, events: EventService) -> None:
    """The web app's restart case: it took the cursor, got no event, lost its socket, and
    events were committed meanwhile by a process its stream never heard (not published)."""
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    await emit(db, events, library)
    cursor = await events.cursor()
    missed = [await emit(db, events, library, publish=False) for _ in range(3)]
    stream = await follow(events, ann, library, since=cursor)
    got = await stream.take(3)
    assert [m.sequence for m in got] == [m.sequence for m in missed]
    assert await stream.nothing_more()
    await stream.aclose()


async def test_publishes_that_cross_or_get_lost_are_put_back_in_order(
        db: Database, events: EventService) -> None:
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    stream = await follow(events, ann, library)
    one = await emit(db, events, library, publish=False)
    two = await emit(db, events, library, publish=False)
    three = await emit(db, events, library, publish=False)
    await events.publish(three, two)   # crossed on the way, and `one` never published
    got = await stream.take(3)
    assert [m.sequence for m in got] == [one.sequence, two.sequence, three.sequence]
    await stream.aclose()


async def test_a_consumer_that_falls_behind_still_gets_everything_once(
        db: Database, events: EventService) -> None:
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    stream = await follow(events, ann, library)
    sent = [await emit(db, events, library) for _ in range(120)]  # queue holds 50
    got = await stream.take(120)
    assert [m.sequence for m in got] == [m.sequence for m in sent]
    assert await stream.nothing_more()
    await stream.aclose()


async def test_progress_events_are_coalesced_when_replaying(db: Database,
                                                            events: EventService) -> None:
    ann = await make_user(db, "ann")
    library = await make_library(db, "a", ann)
    for done in range(10):
        await emit(db, events, library, EventKind.JOB_PROGRESS, done=done)
    added = await emit(db, events, library)
    stream = await follow(events, ann, library, since=0)
    got = await stream.take(2)
    assert [(m.kind, m.payload.get("done")) for m in got] == [
        (EventKind.JOB_PROGRESS, 9), (EventKind.PHOTO_ADDED, None)]
    assert got[1].sequence == added.sequence
    await stream.aclose()


async def test_two_processes_behind_redis_both_deliver(db: Database) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    buses = [await make_bus("redis", prefix + str(i)) for i in range(2)]
    for b in buses:
        b._prefix = prefix  # type: ignore[attr-defined]  # same channels, two connections
        await b.start()
    services = [EventService(db, b) for b in buses]
    try:
        ann = await make_user(db, "ann")
        library = await make_library(db, "a", ann)
        streams = [await follow(s, ann, library) for s in services]
        sent = [await emit(db, services[i % 2], library) for i in range(6)]
        for stream in streams:
            assert [m.sequence for m in await stream.take(6)] == [m.sequence for m in sent]
            await stream.aclose()
    finally:
        for s in services:
            await s.close()
        for b in buses:
            await b.close()

"""A Redis outage: publishing never fails the change, streams follow the log meanwhile, and
pub/sub takes over again afterwards with no gap and no duplicate.

Runs against a redis-server of the test's own (killed and restarted here), never the
machine's shared one.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from photonix_rt.events.redis_bus import RedisBus
from photonix_rt.events.types import events_topic
from photonix_rt.services.events import EventService
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database
from tests.integration.test_events import emit, follow, make_library, make_user
from tests.own_servers import OwnRedis, redis_server_bin

# Deadlines to fail rather than hang; the log is polled about twice a second meanwhile.
DURING_OUTAGE_S = 5.0
BACK_S = 30.0


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if redis_server_bin() is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis.start(tmp_path / "redis")
    yield redis
    redis.destroy()


async def wait_subscribed(url: str, channel: str, count: int) -> None:
    """Until ``count`` connections listen on ``channel`` (the buses took us back)."""
    client = aioredis.Redis.from_url(url)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BACK_S
        while dict(await client.pubsub_numsub(channel))[channel.encode()] < count:
            assert loop.time() < deadline, "the buses did not resubscribe after Redis returned"
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()


async def test_redis_outage_fails_no_change_and_streams_follow_the_log(
        db: Database, own_redis: OwnRedis, caplog: pytest.LogCaptureFixture) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    buses = [RedisBus(own_redis.url, prefix=prefix, client_name=f"outage-{i}") for i in range(2)]
    for bus in buses:
        await bus.start()
    services = [EventService(db, bus) for bus in buses]  # two server processes
    try:
        ann = await make_user(db, "ann")
        library = await make_library(db, "a", ann)
        streams = [await follow(service, ann, library) for service in services]
        before = await emit(db, services[0], library)
        for stream in streams:
            assert [m.sequence for m in await stream.take(1)] == [before.sequence]

        await asyncio.to_thread(own_redis.kill)
        with caplog.at_level(logging.WARNING, logger="photonix_rt.services.events"):
            # Each change commits and its publish fails: the change must not fail with it.
            during = [await emit(db, services[i % 2], library, n=i) for i in range(4)]
        assert "could not publish events" in caplog.text
        for stream in streams:  # ... and both processes deliver from the log meanwhile
            got = await stream.take(4, wait_s=DURING_OUTAGE_S)
            assert [m.sequence for m in got] == [m.sequence for m in during]

        await asyncio.to_thread(own_redis.restart)
        channel = prefix + events_topic(str(await events_store.channel_id(db)))
        await wait_subscribed(own_redis.url, channel, 2)
        after = [await emit(db, services[i % 2], library, n=i) for i in range(3)]
        for stream in streams:
            got = await stream.take(3, wait_s=DURING_OUTAGE_S)
            assert [m.sequence for m in got] == [m.sequence for m in after]
            assert await stream.nothing_more(), "an event was delivered twice"
            await stream.aclose()
    finally:
        for service in services:
            await service.close()
        for bus in buses:
            await bus.close()

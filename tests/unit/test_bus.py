"""Both buses pass the same suite: delivery, isolation by topic, overflow, unsubscribe.

The Redis bus runs against the real Redis (``PHOTONIX_TEST_REDIS_URL``, default
redis://127.0.0.1:6379/0); each test uses its own channel prefix.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from photonix_rt.events.bus import Bus, BusClosed, Disconnected, Overflowed
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.events.redis_bus import RedisBus
from photonix_rt.events.types import EventMessage

REDIS_URL = os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def message(sequence: int, library: str = "lib-a") -> EventMessage:
    return EventMessage(sequence, "PHOTO_ADDED", library, f"photo-{sequence}", {"n": sequence})


async def next_of(sub: object, wait_s: float = 5.0) -> EventMessage:
    return await asyncio.wait_for(sub.__anext__(), wait_s)  # type: ignore[attr-defined]


async def redis_available() -> bool:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        return bool(await client.ping())
    except OSError:
        return False
    finally:
        await client.aclose()


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}:"


async def open_bus(kind: str, prefix: str, name: str = "bus") -> Bus:
    if kind == "memory":
        bus: Bus = MemoryBus()
    else:
        if not await redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        bus = RedisBus(REDIS_URL, prefix=prefix, client_name=f"{prefix}{name}".replace(":", "-"))
    await bus.start()
    return bus


@pytest_asyncio.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest, prefix: str) -> AsyncIterator[Bus]:
    opened = await open_bus(request.param, prefix)
    yield opened
    await opened.close()


async def test_subscribers_receive_their_topics_in_order(bus: Bus) -> None:
    a1 = await bus.subscribe(["a"])
    a2 = await bus.subscribe(["a", "b"])
    b = await bus.subscribe(["b"])
    for seq in range(1, 6):
        await bus.publish("a", message(seq))
    await bus.publish("b", message(6))
    assert [(await next_of(a1)).sequence for _ in range(5)] == [1, 2, 3, 4, 5]
    assert [(await next_of(a2)).sequence for _ in range(6)] == [1, 2, 3, 4, 5, 6]
    got = await next_of(b)
    assert got == message(6)  # the whole message survives the trip (payload included)
    with pytest.raises(TimeoutError):
        await next_of(a1, wait_s=0.3)  # nothing from topic b
    for sub in (a1, a2, b):
        await sub.aclose()


async def test_a_slow_subscriber_overflows_without_blocking_others(bus: Bus) -> None:
    slow = await bus.subscribe(["a"], max_queue=3)
    fast = await bus.subscribe(["a"], max_queue=100)
    for seq in range(1, 11):
        await bus.publish("a", message(seq))
    assert [(await next_of(fast)).sequence for _ in range(10)] == list(range(1, 11))
    # What was queued before the overflow is still delivered, then the subscriber is told.
    assert [(await next_of(slow)).sequence for _ in range(3)] == [1, 2, 3]
    with pytest.raises(Overflowed):
        await next_of(slow)
    await slow.aclose()
    await fast.aclose()


async def test_aclose_ends_iteration_and_stops_delivery(bus: Bus) -> None:
    sub = await bus.subscribe(["a"])
    other = await bus.subscribe(["a"])
    await sub.aclose()
    await bus.publish("a", message(1))
    assert (await next_of(other)).sequence == 1
    with pytest.raises(StopAsyncIteration):
        await next_of(sub)
    await other.aclose()


async def test_close_ends_subscriptions_and_refuses_new_ones(bus: Bus) -> None:
    sub = await bus.subscribe(["a"])
    waiting = asyncio.create_task(next_of(sub))
    await asyncio.sleep(0.05)
    await bus.close()
    with pytest.raises(StopAsyncIteration):
        await waiting
    with pytest.raises(BusClosed):
        await bus.subscribe(["a"])


async def test_redis_bus_delivers_across_processes(prefix: str) -> None:
    """Two buses (as two server processes would hold) both get what either publishes."""
    one = await open_bus("redis", prefix, "one")
    two = await open_bus("redis", prefix, "two")
    try:
        sub1 = await one.subscribe(["a"])
        sub2 = await two.subscribe(["a"])
        await one.publish("a", message(1))
        await two.publish("a", message(2))
        assert [(await next_of(sub1)).sequence for _ in range(2)] == [1, 2]
        assert [(await next_of(sub2)).sequence for _ in range(2)] == [1, 2]
    finally:
        await one.close()
        await two.close()


async def test_redis_bus_unsubscribes_the_channel_when_the_last_subscriber_leaves(
        prefix: str) -> None:
    bus = await open_bus("redis", prefix)
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        channel = (prefix + "a").encode()
        # Several rounds: once aclose() returns, Redis must already have dropped the
        # channel (an unconfirmed UNSUBSCRIBE races the next command of another client).
        for _ in range(20):
            first = await bus.subscribe(["a"])
            second = await bus.subscribe(["a"])
            counts = dict(await client.pubsub_numsub(prefix + "a"))
            assert counts[channel] == 1  # one connection per process, not per sub
            await first.aclose()
            assert dict(await client.pubsub_numsub(prefix + "a"))[channel] == 1
            await second.aclose()
            assert dict(await client.pubsub_numsub(prefix + "a"))[channel] == 0
    finally:
        await client.aclose()
        await bus.close()


async def test_redis_bus_reconnects_and_tells_subscribers_to_resync(prefix: str) -> None:
    bus = await open_bus("redis", prefix)
    assert isinstance(bus, RedisBus)
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        sub = await bus.subscribe(["a"])
        for entry in await client.client_list(_type="pubsub"):
            if entry["name"] == bus.client_name:
                await client.client_kill_filter(_id=entry["id"])
        with pytest.raises(Disconnected):
            await next_of(sub)
        # The bus comes back by itself; a new subscription works again.
        resumed = await bus.subscribe(["a"])
        await bus.publish("a", message(7))
        assert (await next_of(resumed)).sequence == 7
        assert bus.reconnects >= 1
        await resumed.aclose()
        await sub.aclose()
    finally:
        await client.aclose()
        await bus.close()

"""Redis pub/sub bus: one subscriber connection per process, fanned out in memory.

Each process holds ONE pub/sub connection. A topic is SUBSCRIBEd when its first local
subscriber arrives and UNSUBSCRIBEd when its last one leaves; messages are handed to local
subscribers through bounded queues (``Fanout``), exactly like ``MemoryBus``.

When the connection drops, every local subscription fails with ``Disconnected`` (messages
published meanwhile are lost to this process) and the bus reconnects with backoff; the
subscribers resubscribe and replay what they missed from the event log.

While Redis is down, ``publish`` fails fast with ``Unavailable`` (no retry loop: the event is
in the log already, and a batch of changes must not wait seconds per event to report it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from photonix_rt.events.bus import BusClosed, Disconnected, Unavailable
from photonix_rt.events.fanout import Fanout, LocalSubscription
from photonix_rt.events.types import EventMessage

__all__ = ["RedisBus"]

log = logging.getLogger(__name__)

_CONNECT_TIMEOUT_S = 10.0
_POLL_S = 5.0          # wake the reader this often so health-check PINGs go out
_MAX_BACKOFF_S = 5.0
# A publish gives up quickly: one immediate retry (a pooled connection may be stale after a
# Redis restart), then ``Unavailable``; redis-py's default would retry ten times with backoff.
_PUBLISH_CONNECT_TIMEOUT_S = 1.0
_PUBLISH_TIMEOUT_S = 2.0


class RedisBus:
    """Publishes through a client pool; receives on one pub/sub connection."""

    def __init__(self, url: str, prefix: str = "photonix:",
                 client_name: str = "photonix-rt-bus") -> None:
        self._url = url
        self._prefix = prefix
        self.client_name = client_name
        self._fanout = Fanout()
        self._publisher: aioredis.Redis | None = None
        self._listener: aioredis.Redis | None = None
        self._pubsub: PubSub | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()          # serialises SUBSCRIBE / UNSUBSCRIBE commands
        self._subscribed: set[str] = set()   # channels we asked Redis for
        # (UN)SUBSCRIBEs sent and confirmed per (kind, channel): a waiter is satisfied
        # when the confirmation of *its* command arrived (Redis answers in order).
        self._sent: dict[tuple[str, str], int] = {}
        self._acked: dict[tuple[str, str], int] = {}
        self._waiters: list[tuple[tuple[str, str], int, asyncio.Future[None]]] = []
        self.reconnects = 0
        self._closed = False

    async def start(self) -> None:
        self._publisher = aioredis.Redis.from_url(
            self._url, retry=Retry(NoBackoff(), 1),
            socket_connect_timeout=_PUBLISH_CONNECT_TIMEOUT_S, socket_timeout=_PUBLISH_TIMEOUT_S)
        # No silent retries on the listening connection: a reconnect must be noticed,
        # because messages published while it was down are gone.
        self._listener = aioredis.Redis.from_url(
            self._url, retry=Retry(NoBackoff(), 0), health_check_interval=_POLL_S * 2,
            client_name=self.client_name)
        self._task = asyncio.create_task(self._run(), name="redis-bus")
        try:
            # asyncio.timeout, not wait_for, here and below: see photonix_rt/waiting.py
            async with asyncio.timeout(_CONNECT_TIMEOUT_S):
                await self._connected.wait()
        except TimeoutError:
            await self.close()
            raise ConnectionError(f"cannot reach Redis at {self._url}") from None

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._fanout.end_all()
        for client in (self._publisher, self._listener):
            if client is not None:
                await client.aclose()
        self._publisher = self._listener = None

    async def publish(self, topic: str, message: EventMessage) -> None:
        assert self._publisher is not None, "start() the bus first"
        try:
            await self._publisher.publish(self._prefix + topic, message.to_json())
        except (RedisError, OSError) as error:
            # redis's ConnectionError is a RedisError, not an OSError: translate both, so
            # callers need to know only the bus protocol's error.
            raise Unavailable(f"cannot publish to Redis: {error}") from error

    async def subscribe(self, topics: list[str], max_queue: int = 1000) -> LocalSubscription:
        if self._closed:
            raise BusClosed("the bus is closed")
        try:
            async with asyncio.timeout(_CONNECT_TIMEOUT_S):
                await self._connected.wait()
        except TimeoutError:
            raise Disconnected("Redis is not reachable") from None
        sub = LocalSubscription(topics, max_queue, self._unsubscribe)
        self._fanout.add(sub)
        try:
            await self._sync()
            await self._confirmed("subscribe", [self._prefix + t for t in topics])
        except BaseException:
            await sub.aclose()
            raise
        return sub

    async def _unsubscribe(self, sub: LocalSubscription) -> None:
        """Drop the channels nobody here wants any more, and wait until Redis confirms:
        once a subscription is closed, this process no longer counts as a listener."""
        if self._fanout.remove(sub):
            try:
                dropped = await self._sync()
                await self._confirmed("unsubscribe", dropped)
            except (RedisError, OSError, Disconnected, TimeoutError) as error:
                log.debug("unsubscribe failed (the reconnect will drop it): %s", error)

    async def _sync(self) -> list[str]:
        """Make Redis's subscriptions match the topics that have local subscribers;
        returns the channels it unsubscribed."""
        async with self._lock:
            pubsub = self._pubsub
            if pubsub is None:
                raise Disconnected("Redis connection lost")
            want = {self._prefix + t for t in self._fanout.topics()}
            add = sorted(want - self._subscribed)
            drop = sorted(self._subscribed - want)
            try:
                if add:
                    self._count_sent("subscribe", add)
                    await pubsub.execute_command("SUBSCRIBE", *add)
                    self._subscribed.update(add)
                if drop:
                    self._count_sent("unsubscribe", drop)
                    await pubsub.execute_command("UNSUBSCRIBE", *drop)
                    self._subscribed.difference_update(drop)
            except (RedisError, OSError) as error:
                raise Disconnected(f"Redis connection lost: {error}") from error
            return drop

    def _count_sent(self, kind: str, channels: list[str]) -> None:
        for channel in channels:
            self._sent[kind, channel] = self._sent.get((kind, channel), 0) + 1

    async def _confirmed(self, kind: str, channels: list[str]) -> None:
        loop = asyncio.get_running_loop()
        futures = []
        for channel in channels:
            key = (kind, channel)
            target = self._sent.get(key, 0)
            if self._acked.get(key, 0) < target:
                future: asyncio.Future[None] = loop.create_future()
                self._waiters.append((key, target, future))
                futures.append(future)
        if futures:
            async with asyncio.timeout(_CONNECT_TIMEOUT_S):
                await asyncio.gather(*futures)

    def _on_confirm(self, kind: str, channel: str) -> None:
        key = (kind, channel)
        self._acked[key] = self._acked.get(key, 0) + 1
        still = []
        for waiter in self._waiters:
            name, target, future = waiter
            if name == key and self._acked[key] >= target:
                if not future.done():
                    future.set_result(None)
            else:
                still.append(waiter)
        self._waiters = still

    def _handle(self, message: Mapping[str, Any]) -> None:
        kind = message["type"]
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode()
        if kind == "message" and channel.startswith(self._prefix):
            try:
                event = EventMessage.from_json(message["data"])
            except (ValueError, TypeError) as error:
                log.warning("dropping malformed bus message on %s: %s", channel, error)
                return
            self._fanout.deliver(channel[len(self._prefix):], event)
        elif kind in ("subscribe", "unsubscribe"):
            self._on_confirm(kind, channel)

    async def _run(self) -> None:
        """Listen; on connection loss fail every subscriber and reconnect with backoff."""
        delay = 0.1
        while True:
            assert self._listener is not None
            pubsub = self._listener.pubsub()
            try:
                # A private channel keeps the connection in subscribed mode while no
                # topic is wanted, so the read loop below always has a connection.
                await pubsub.execute_command("SUBSCRIBE", self._prefix + "_bus")
                async with self._lock:
                    self._pubsub = pubsub
                    self._subscribed.clear()
                    self._sent.clear()
                    self._acked.clear()
                self._connected.set()
                delay = 0.1
                while True:
                    message = await pubsub.get_message(timeout=_POLL_S)
                    if message is not None:
                        self._handle(message)
            except (RedisError, OSError) as error:
                if self._connected.is_set():
                    log.warning("lost the Redis bus connection (%s); reconnecting", error)
                else:
                    log.warning("cannot connect the Redis bus (%s); retrying in %.1fs",
                                error, delay)
            finally:
                self._connected.clear()
                self._pubsub = None
                for _channel, _target, future in self._waiters:
                    if not future.done():
                        future.set_exception(Disconnected("Redis connection lost"))
                self._waiters = []
                if self._closed:
                    self._fanout.end_all()
                else:
                    self._fanout.fail_all(Disconnected("Redis connection lost"))
                await pubsub.aclose()
            self.reconnects += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_BACKOFF_S)

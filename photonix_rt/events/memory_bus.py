"""In-process bus: the embedded default when no REDIS_URL is set."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from photonix_rt.events.types import EventMessage

__all__ = ["MemoryBus", "MemorySubscription", "Overflowed"]


class Overflowed(Exception):
    """The subscriber fell too far behind; it must resume from its last sequence."""


class MemorySubscription:
    """A bounded queue of messages; overflowing it ends the subscription with ``Overflowed``."""

    def __init__(self, bus: MemoryBus, topics: list[str], max_queue: int) -> None:
        self._bus = bus
        self.topics = topics
        self._queue: asyncio.Queue[EventMessage | None] = asyncio.Queue()
        self._max_queue = max_queue
        self._overflowed = False
        self._closed = False

    def deliver(self, message: EventMessage) -> None:
        if self._closed or self._overflowed:
            return
        if self._queue.qsize() >= self._max_queue:
            self._overflowed = True
            self._queue.put_nowait(None)
            return
        self._queue.put_nowait(message)

    def __aiter__(self) -> MemorySubscription:
        return self

    async def __anext__(self) -> EventMessage:
        if self._closed:
            raise StopAsyncIteration
        message = await self._queue.get()
        if message is None:
            if self._overflowed:
                raise Overflowed("subscriber queue overflowed")
            raise StopAsyncIteration
        return message

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._bus._unsubscribe(self)
            self._queue.put_nowait(None)


class MemoryBus:
    """Fan-out to in-process subscribers, synchronously on publish."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[MemorySubscription]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        for subs in list(self._subscribers.values()):
            for sub in list(subs):
                await sub.aclose()

    async def publish(self, topic: str, message: EventMessage) -> None:
        for sub in list(self._subscribers.get(topic, ())):
            sub.deliver(message)

    def subscribe(self, topics: list[str], max_queue: int = 1000) -> MemorySubscription:
        sub = MemorySubscription(self, topics, max_queue)
        for topic in topics:
            self._subscribers[topic].add(sub)
        return sub

    def _unsubscribe(self, sub: MemorySubscription) -> None:
        for topic in sub.topics:
            self._subscribers[topic].discard(sub)
            if not self._subscribers[topic]:
                del self._subscribers[topic]

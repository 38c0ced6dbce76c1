"""In-process fan-out: bounded per-subscriber queues keyed by topic (used by both buses)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

from photonix_rt.events.bus import Gap, Overflowed
from photonix_rt.events.types import EventMessage

__all__ = ["Fanout", "LocalSubscription"]


class LocalSubscription:
    """A bounded queue of messages for some topics.

    Delivery never blocks the publisher: when ``max_queue`` messages are waiting, the
    subscription is failed with ``Overflowed`` (after the queued messages are consumed) and
    the subscriber resumes from its last sequence. ``aclose()`` unsubscribes.
    """

    def __init__(self, topics: list[str], max_queue: int,
                 on_close: Callable[[LocalSubscription], Awaitable[None]]) -> None:
        self.topics = list(topics)
        self.max_queue = max_queue
        self._on_close = on_close
        self._queue: deque[EventMessage] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._error: Gap | None = None
        self._closed = False

    @property
    def pending(self) -> int:
        """Messages delivered but not yet consumed."""
        return len(self._queue)

    @property
    def active(self) -> bool:
        return not self._closed and self._error is None

    def deliver(self, message: EventMessage) -> None:
        if not self.active:
            return
        if len(self._queue) >= self.max_queue:
            self.fail(Overflowed(f"more than {self.max_queue} messages waiting"))
            return
        self._queue.append(message)
        self._wake()

    def fail(self, error: Gap) -> None:
        """End the subscription with ``error`` once the queued messages are consumed."""
        if self.active:
            self._error = error
            self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __aiter__(self) -> LocalSubscription:
        return self

    async def __anext__(self) -> EventMessage:
        while True:
            if self._closed:
                raise StopAsyncIteration
            if self._queue:
                return self._queue.popleft()
            if self._error is not None:
                raise self._error
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    def end(self) -> None:
        """End iteration without an error (the source is shutting down)."""
        self._closed = True
        self._queue.clear()
        self._wake()

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.clear()
            self._wake()
            await self._on_close(self)


class Fanout:
    """Topic -> subscribers; ``deliver`` hands a message to each without waiting."""

    def __init__(self) -> None:
        self._by_topic: dict[str, set[LocalSubscription]] = {}

    def add(self, sub: LocalSubscription) -> None:
        for topic in sub.topics:
            self._by_topic.setdefault(topic, set()).add(sub)

    def remove(self, sub: LocalSubscription) -> list[str]:
        """Unregister ``sub``; return the topics that now have no subscriber."""
        emptied = []
        for topic in sub.topics:
            subs = self._by_topic.get(topic)
            if subs is None:
                continue
            subs.discard(sub)
            if not subs:
                del self._by_topic[topic]
                emptied.append(topic)
        return emptied

    def deliver(self, topic: str, message: EventMessage) -> None:
        for sub in list(self._by_topic.get(topic, ())):
            sub.deliver(message)

    def subscriber_count(self, topic: str) -> int:
        return len(self._by_topic.get(topic, ()))

    def topics(self) -> list[str]:
        return list(self._by_topic)

    def end_all(self) -> None:
        """End and forget every subscriber (the source is shutting down)."""
        subs = {s for group in self._by_topic.values() for s in group}
        self._by_topic.clear()
        for sub in subs:
            sub.end()

    def fail_all(self, error: Gap) -> None:
        """Fail and forget every subscriber (the bus lost messages for all of them)."""
        subs = {s for group in self._by_topic.values() for s in group}
        self._by_topic.clear()
        for sub in subs:
            sub.fail(error)

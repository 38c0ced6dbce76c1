"""In-process bus: the embedded default when no REDIS_URL is set."""

from __future__ import annotations

from photonix_rt.events.bus import BusClosed, Overflowed
from photonix_rt.events.fanout import Fanout, LocalSubscription
from photonix_rt.events.types import EventMessage

__all__ = ["MemoryBus", "Overflowed"]


class MemoryBus:
    """Fan-out to in-process subscribers, synchronously on publish."""

    def __init__(self) -> None:
        self._fanout = Fanout()
        self._closed = False

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._closed = True
        self._fanout.end_all()

    async def publish(self, topic: str, message: EventMessage) -> None:
        self._fanout.deliver(topic, message)

    async def subscribe(self, topics: list[str], max_queue: int = 1000) -> LocalSubscription:
        if self._closed:
            raise BusClosed("the bus is closed")
        sub = LocalSubscription(topics, max_queue, self._unsubscribe)
        self._fanout.add(sub)
        return sub

    async def _unsubscribe(self, sub: LocalSubscription) -> None:
        self._fanout.remove(sub)

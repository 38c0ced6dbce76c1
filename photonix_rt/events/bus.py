"""The bus protocol: publish to a topic, subscribe to topics as an async iterator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from photonix_rt.events.types import EventMessage

__all__ = ["Bus", "Subscription"]


class Subscription(Protocol):
    """Messages for the subscribed topics; ``aclose()`` unsubscribes."""

    def __aiter__(self) -> AsyncIterator[EventMessage]: ...
    async def __anext__(self) -> EventMessage: ...
    async def aclose(self) -> None: ...


class Bus(Protocol):
    """In-process (``MemoryBus``) or Redis pub/sub (``RedisBus``); same behaviour."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, topic: str, message: EventMessage) -> None: ...
    def subscribe(self, topics: list[str], max_queue: int = 1000) -> Subscription: ...

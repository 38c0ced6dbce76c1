"""The bus protocol: publish to a topic, subscribe to topics as an async iterator.

Usage::

    sub = await bus.subscribe([EVENTS_TOPIC])   # active everywhere once this returns
    try:
        async for message in sub:
            ...
    except Gap:
        ...resume from the last sequence seen (replay from the event log)...
    finally:
        await sub.aclose()
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from photonix_rt.events.types import EventMessage

__all__ = ["Bus", "BusClosed", "Disconnected", "Gap", "Overflowed", "Subscription",
           "Unavailable"]


class BusClosed(Exception):
    """The bus was closed: no new subscriptions (open ones end their iteration)."""


class Unavailable(Exception):
    """A publish could not be sent (Redis is down). Raised by ``publish`` only: the event is
    already in the log, so callers log it and go on; readers catch up from the log."""


class Gap(Exception):
    """The subscription lost messages; the subscriber must resume from its last sequence."""


class Overflowed(Gap):
    """The subscriber fell too far behind and its bounded queue filled up."""


class Disconnected(Gap):
    """The bus lost its connection (Redis went away); messages may have been missed."""


class Subscription(Protocol):
    """Messages for the subscribed topics; ``aclose()`` unsubscribes."""

    def __aiter__(self) -> AsyncIterator[EventMessage]: ...
    async def __anext__(self) -> EventMessage: ...
    async def aclose(self) -> None: ...


class Bus(Protocol):
    """In-process (``MemoryBus``) or Redis pub/sub (``RedisBus``); same behaviour."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, topic: str, message: EventMessage) -> None:
        """Send ``message`` to every subscriber; raises ``Unavailable`` (only) on failure."""
        ...

    async def subscribe(self, topics: list[str], max_queue: int = 1000) -> Subscription:
        """A subscription that receives everything published after this returns."""
        ...

"""One ordered, gap-free event stream per process, fanned out to local subscribers by library.

Events are committed in sequence order with no gaps (see ``store.events.append``), but they
are *published* after commit by whichever process wrote them, so two publishes can cross on
the way (12 arrives before 11). The sequencer restores the order: it passes on event
``head + 1`` only, holds later ones back briefly, and when a hole does not fill within
``gap_timeout_s`` (a lost publish, a crashed publisher, a Redis reconnect) it reads the hole
from the log. It also polls the log now and then, so an event whose publish was lost is
delivered even when nothing follows it.

While the bus is down (Redis stopped or unreachable), the sequencer reads the log every
``fallback_poll_s`` instead, so clients keep getting events within about a second; once the
bus is back it subscribes first and then reads the log from ``head``: no gap, no duplicate.

Local subscribers therefore see every event of their libraries exactly once, in order;
a subscriber that falls behind gets ``Overflowed`` and replays from the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from photonix_rt.events.bus import Bus, BusClosed, Gap
from photonix_rt.events.fanout import Fanout, LocalSubscription
from photonix_rt.events.types import EVENTS_TOPIC, EventMessage, library_topic

__all__ = ["Sequencer"]

log = logging.getLogger(__name__)

FetchAfter = Callable[[int, int], Awaitable[list[EventMessage]]]
LastSequence = Callable[[], Awaitable[int]]


class Sequencer:
    """Orders the bus's event topic by sequence; ``register`` returns a library feed."""

    def __init__(self, bus: Bus, fetch_after: FetchAfter, last_sequence: LastSequence, *,
                 topic: str = EVENTS_TOPIC, gap_timeout_s: float = 0.25,
                 poll_interval_s: float = 5.0, fallback_poll_s: float = 0.5,
                 bus_queue: int = 10_000, page: int = 500) -> None:
        self._bus = bus
        self._topic = topic
        self._fetch_after = fetch_after
        self._last_sequence = last_sequence
        self._gap_timeout_s = gap_timeout_s
        self._poll_interval_s = poll_interval_s
        self._fallback_poll_s = fallback_poll_s
        self._log_failing = False  # the log could not be read at the last fallback poll
        self._closing: set[asyncio.Future[None]] = set()  # unsubscribes of late arrivals
        self._bus_queue = bus_queue
        self._page = page
        self._fanout = Fanout()
        self._pending: dict[int, EventMessage] = {}
        self._gap_deadline: float | None = None
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.head = 0  # the last sequence passed on to local subscribers
        self.caught_up = 0  # how many events came from the log rather than the bus
        self.bus_down = False  # following the log alone until the bus takes us back

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="event-sequencer")
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait({ready, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            self._task.result()  # raises what stopped it
            raise BusClosed("the event bus is closed")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._fanout.end_all()

    def register(self, library_ids: list[str], max_queue: int = 1000) -> LocalSubscription:
        """Every event after ``head`` in these libraries, in order (no await: no gap)."""
        sub = LocalSubscription([library_topic(i) for i in library_ids], max_queue,
                                self._unregister)
        self._fanout.add(sub)
        return sub

    async def _unregister(self, sub: LocalSubscription) -> None:
        self._fanout.remove(sub)

    # ---- ordering ----------------------------------------------------------------------

    def _dispatch(self, message: EventMessage) -> None:
        self.head = message.sequence
        if message.library_id is not None:
            self._fanout.deliver(library_topic(message.library_id), message)

    def _drain_pending(self) -> None:
        for sequence in [s for s in self._pending if s <= self.head]:
            del self._pending[sequence]
        while (message := self._pending.pop(self.head + 1, None)) is not None:
            self._dispatch(message)
        self._gap_deadline = None
        if self._pending:
            self._gap_deadline = asyncio.get_running_loop().time() + self._gap_timeout_s

    def accept(self, message: EventMessage) -> None:
        """Take one message from the bus: pass it on now, or hold it until the gap fills."""
        if message.sequence <= self.head:
            return  # already passed on (read from the log before it arrived)
        if message.sequence == self.head + 1:
            self._dispatch(message)
            if self._pending:
                self._drain_pending()
            return
        self._pending[message.sequence] = message
        if self._gap_deadline is None:
            self._gap_deadline = asyncio.get_running_loop().time() + self._gap_timeout_s

    async def catch_up(self) -> None:
        """Read from the log whatever was committed after ``head`` but not received."""
        last = await self._last_sequence()
        if last < self.head:
            # The log restarted (a test truncated it): follow it rather than wait forever.
            log.warning("event log restarted at %d (was at %d)", last, self.head)
            self.head = 0
            self._pending.clear()
        while True:
            messages = await self._fetch_after(self.head, self._page)
            for message in messages:
                if message.sequence > self.head:
                    self.caught_up += 1
                    self._dispatch(message)
            if len(messages) < self._page:
                break
        self._drain_pending()

    # ---- the listening task -----------------------------------------------------------

    def _timeout(self) -> float:
        if self._gap_deadline is None:
            return self._poll_interval_s
        return max(0.0, self._gap_deadline - asyncio.get_running_loop().time())

    async def _run(self) -> None:
        try:
            await self._follow_bus()
        except BusClosed:
            log.debug("event bus closed; ending every event stream")
        finally:
            self._fanout.end_all()

    async def _follow_bus(self) -> None:
        while True:
            sub = await self._subscribe()
            try:
                if not self._ready.is_set():
                    # Subscribed first, then read the head: anything committed later
                    # arrives on the bus, anything earlier no subscriber has asked for.
                    self.head = await self._last_sequence()
                    self._ready.set()
                else:
                    await self.catch_up()  # what was published while we were away
                if self.bus_down:
                    log.info("event bus is back at sequence %d", self.head)
                    self.bus_down = False
                await self._listen(sub)
            except Gap as error:
                log.info("event bus gap (%s); catching up from the log", error)
            except Exception:
                log.exception("event sequencer failed; restarting it")
                await asyncio.sleep(1.0)
            finally:
                await sub.aclose()

    async def _subscribe(self) -> LocalSubscription:
        """Subscribe to the bus, reading the log every ``fallback_poll_s`` until it works.

        The bus may take a while to answer (a Redis subscribe waits for its reconnect), so
        the attempt runs beside the polling rather than before it.
        """
        loop = asyncio.get_running_loop()
        delay = 0.1
        while True:
            attempt = asyncio.ensure_future(
                self._bus.subscribe([self._topic], max_queue=self._bus_queue))
            try:
                while not attempt.done():
                    await asyncio.wait({attempt}, timeout=self._fallback_poll_s)
                    if not attempt.done():
                        await self._poll_log()
            except BaseException:
                attempt.cancel()
                attempt.add_done_callback(self._close_unused)
                raise
            try:
                return attempt.result()
            except Gap as error:
                if not self.bus_down:
                    log.warning("event bus unavailable (%s); following the event log", error)
                    self.bus_down = True
            retry_at = loop.time() + delay
            while (left := retry_at - loop.time()) > 0:
                await self._poll_log()
                await asyncio.sleep(min(left, self._fallback_poll_s))
            delay = min(delay * 2, 5.0)

    def _close_unused(self, attempt: asyncio.Future[LocalSubscription]) -> None:
        """A subscription that arrived after we gave up waiting for it: unsubscribe it."""
        if attempt.cancelled() or attempt.exception() is not None:
            return
        task = asyncio.ensure_future(attempt.result().aclose())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _poll_log(self) -> None:
        """Deliver what the log holds beyond ``head`` (the bus is down, so nobody else will)."""
        self.bus_down = True
        try:
            if not self._ready.is_set():
                self.head = await self._last_sequence()  # no bus yet: start from the log
                self._ready.set()
            else:
                await self.catch_up()
        except Exception:
            # The database may be down as well: keep trying; log once per outage.
            if not self._log_failing:
                log.warning("cannot read the event log; retrying", exc_info=True)
            self._log_failing = True
        else:
            self._log_failing = False

    async def _listen(self, sub: LocalSubscription) -> None:
        next_message = asyncio.ensure_future(sub.__anext__())
        try:
            while True:
                done, _ = await asyncio.wait({next_message}, timeout=self._timeout())
                if next_message in done:
                    try:
                        self.accept(next_message.result())
                    except StopAsyncIteration:
                        return  # the bus is closing
                    # Take everything already queued without another wait round.
                    while sub.pending:
                        self.accept(await sub.__anext__())
                    next_message = asyncio.ensure_future(sub.__anext__())
                else:
                    await self.catch_up()
        finally:
            next_message.cancel()

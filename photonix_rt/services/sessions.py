"""Whether an access token's account and session still stand: checked on every use, cached.

An access token names its session (the refresh-token family, ``sid``). Every request, and
every operation on a socket, asks ``check(user_id, session_id)``. The answer comes from one
query (account active? session never revoked?) and a "yes" is cached for ``ttl_s`` seconds.
Whoever ends a session or changes an account (logout, refresh-token reuse, password change,
disabling) calls ``ended(user_id)`` after the commit: it drops that user's cached answers here
and publishes ``session.ended`` on the bus, so every other server process drops them too,
and tells the open sockets of that user to check again (``watch``).

The cache is used only while the bus subscription is up: a process that may be missing
revocations (Redis unreachable) asks the database every time, and when it resubscribes it
forgets everything and has every socket check again.

Usage::

    sessions = Sessions(db, bus)
    await sessions.start()
    viewer = await sessions.check(user_id, session_id)   # AccountDisabled / SessionEnded
    unwatch = sessions.watch(user_id, socket.recheck)
    await sessions.ended(user_id)                        # after the revoking commit
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Unauthenticated
from photonix_rt.events.bus import Bus, BusClosed, Gap, Subscription
from photonix_rt.events.types import EventMessage
from photonix_rt.store import events as events_store
from photonix_rt.store import tokens as tokens_store
from photonix_rt.store.db import Database

__all__ = ["ENDED", "AccountDisabled", "SessionEnded", "Sessions"]

log = logging.getLogger(__name__)

ENDED = "session.ended"
_RESUBSCRIBE_S = 1.0
_MAX_CACHED = 50_000


class AccountDisabled(Unauthenticated):
    """The account is disabled or gone."""


class SessionEnded(Unauthenticated):
    """The session was revoked (logout, password change, refresh-token reuse)."""


class Sessions:
    """Per-process cache of live sessions, invalidated through the bus."""

    def __init__(self, db: Database, bus: Bus | None, *, ttl_s: float = 30.0) -> None:
        self._db = db
        self._bus = bus
        self.ttl_s = ttl_s
        self._cache: dict[UUID, dict[UUID, tuple[Viewer, float]]] = {}
        self._cached = 0
        # Bumped on every invalidation: a check that read the database before an
        # invalidation must not cache its (possibly stale) answer after it.
        self._generation = 0
        self._watchers: dict[UUID, set[Callable[[], None]]] = {}
        self._listening = False
        self._topic: str | None = None
        self._task: asyncio.Task[None] | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Subscribe to the bus (until then, and whenever it is down, nothing is cached)."""
        if self._bus is None or self._task is not None:
            return
        self._topic = "sessions." + str(await events_store.channel_id(self._db))
        first: Subscription | None = None
        try:
            first = await self._bus.subscribe([self._topic])
        except Gap as error:
            log.warning("session revocations not subscribed yet (%s); retrying", error)
        self._task = asyncio.create_task(self._listen(first), name="session-revocations")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    # ---- checking -------------------------------------------------------------------------

    async def check(self, user_id: UUID, session_id: UUID) -> Viewer:
        """The viewer, fresh; AccountDisabled or SessionEnded if they no longer stand."""
        now = time.monotonic()
        cached = self._cache.get(user_id, {}).get(session_id)
        if cached is not None and cached[1] > now and self._listening:
            return cached[0]
        generation = self._generation
        state = await tokens_store.session_state(self._db, user_id, session_id)
        if state is None or not state.user.is_active:
            raise AccountDisabled("this account is disabled")
        if not state.live:
            raise SessionEnded("this session has ended; sign in again")
        user = state.user
        viewer = Viewer(user_id=user.id, username=user.username, is_admin=user.is_admin)
        if self._listening and generation == self._generation:
            self._remember(user_id, session_id, viewer, now + self.ttl_s)
        return viewer

    def _remember(self, user_id: UUID, session_id: UUID, viewer: Viewer, until: float) -> None:
        if self._cached >= _MAX_CACHED:
            self._cache.clear()
            self._cached = 0
        sessions = self._cache.setdefault(user_id, {})
        if session_id not in sessions:
            self._cached += 1
        sessions[session_id] = (viewer, until)

    # ---- ending -----------------------------------------------------------------------------

    async def ended(self, user_id: UUID) -> None:
        """Something about the user's sessions or account changed (call after the commit)."""
        self._invalidate(user_id)
        if self._bus is None or self._topic is None:
            return
        message = EventMessage(sequence=0, kind=ENDED, library_id=None, photo_id=None,
                               payload={"user": str(user_id)})
        try:
            await self._bus.publish(self._topic, message)
        except Exception:  # a boundary: the others' cached answers expire within ttl_s
            log.warning("could not publish the end of a session of user %s", user_id,
                        exc_info=True)

    def watch(self, user_id: UUID, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` whenever the user's sessions may have changed; returns unwatch."""
        self._watchers.setdefault(user_id, set()).add(callback)

        def unwatch() -> None:
            callbacks = self._watchers.get(user_id)
            if callbacks is not None:
                callbacks.discard(callback)
                if not callbacks:
                    del self._watchers[user_id]

        return unwatch

    def _invalidate(self, user_id: UUID) -> None:
        self._generation += 1
        self._cached -= len(self._cache.pop(user_id, {}))
        self._notify(list(self._watchers.get(user_id, ())))

    def _forget_all(self) -> None:
        self._generation += 1
        self._cache.clear()
        self._cached = 0

    def _notify(self, callbacks: list[Callable[[], None]]) -> None:
        for callback in callbacks:
            try:
                callback()
            except Exception:  # one socket's failure must not stop the others' checks
                log.exception("a session watcher failed")

    async def _listen(self, sub: Subscription | None) -> None:
        """Follow revocations from every process; resubscribe after a gap."""
        assert self._bus is not None and self._topic is not None
        reconnected = False
        while True:
            try:
                if sub is None:
                    sub = await self._bus.subscribe([self._topic])
                self._forget_all()
                self._listening = True
                if reconnected:  # revocations may have been missed meanwhile
                    self._notify([c for group in self._watchers.values() for c in group])
                async for message in sub:
                    if message.kind == ENDED:
                        try:
                            self._invalidate(UUID(str(message.payload.get("user"))))
                        except ValueError:
                            log.warning("malformed session message: %s", message.payload)
                return  # the bus is closing
            except BusClosed:
                return
            except Gap as error:
                log.info("session revocations interrupted (%s); resubscribing", error)
            finally:
                self._listening = False
                self._forget_all()
                if sub is not None:
                    await sub.aclose()
                    sub = None
            reconnected = True
            await asyncio.sleep(_RESUBSCRIBE_S)

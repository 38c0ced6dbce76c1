"""Live changes of a share link's scope, one feed per link, fanned out to its sockets.

The first socket of a link starts a group: it follows the library's events (registered
before the scope is read, so nothing falls in between), keeps the set of photo ids in
scope, and for each batch of photo events asks the database once which of those photos are
in scope now. A photo that enters the scope is sent as ``added`` (``updated`` if it was in
already), one that leaves as ``removed``; events about photos outside the scope send nothing,
not even their ids. Each message is serialised once and the same bytes go to every socket,
and a batch's messages go together (one write per socket, not one per message).

A link ends (revoked, expired) for every socket at once: ``ended(link_id)`` is published on
the bus so every server process closes its sockets (code 4403, like session revocation in
``services/sessions.py``); expiry is a timer per group; and each group re-reads its link
now and then, in case a revocation was published while the bus was down.

Usage (``http/share_socket.py``)::

    member = live.join(link, send=write_bytes, end=close_socket)
    ...
    live.leave(link.id, member)
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.events.bus import BusClosed, Gap, Subscription
from photonix_rt.events.types import EventMessage
from photonix_rt.services.shares import ShareEnded, ShareService, compact, scope_filter
from photonix_rt.store import events as events_store
from photonix_rt.store import share_links as store

if TYPE_CHECKING:
    from photonix_rt.events.bus import Bus
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database

__all__ = ["CLOSE_ENDED", "ENDED", "LiveMember", "ShareLive"]

log = logging.getLogger(__name__)

CLOSE_ENDED = 4403          # the link was revoked or expired: the widget says so, no retry
ENDED = "share.ended"
# Every event kind about one photo, by name (``PHOTO_*``), not by a list: kinds added later
# (trash and restore, rotation) reach the scope query without a change here, and the query
# (the listings' own filter) decides whether the photo is in the link's scope now.
_PHOTO_KIND_PREFIX = "PHOTO_"
_MAX_SCOPE = 200_000        # photo ids a group remembers (a bigger scope only adds)
_RECHECK_S = 30.0
_RESUBSCRIBE_S = 1.0
_MAX_BATCH = 200


@dataclass(eq=False)
class LiveMember:
    """One socket. ``send`` gets a batch's messages as JSON texts, in order: the same tuple
    object for every member, so the socket side can build the frames' bytes once and write
    them in one go; ``end`` closes the socket."""

    send: Callable[[tuple[str, ...]], None]
    end: Callable[[int, str], None]


def _text(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


class _Group:
    """The sockets of one link on this process and the one feed that serves them."""

    def __init__(self, live: ShareLive, link: store.ShareLinkRow) -> None:
        self.link = link
        self.members: dict[LiveMember, None] = {}
        self._live = live
        self.over = False
        self.task = asyncio.create_task(self._run(), name=f"share-live-{link.id}")
        self._timer: asyncio.TimerHandle | None = None
        if link.expires_at is not None:
            delay = max(0.0, (link.expires_at - datetime.now(UTC)).total_seconds())
            self._timer = asyncio.get_running_loop().call_later(
                delay, self.end, "this link has expired")

    def broadcast(self, *bodies: dict[str, Any]) -> None:
        texts = tuple(_text(body) for body in bodies)
        for member in list(self.members):
            try:
                member.send(texts)
            except Exception:  # one socket's failure must not stop the others
                log.debug("a share socket failed to take a message", exc_info=True)

    def end(self, reason: str = "no longer shared") -> None:
        """Close every socket of the link with 4403 and stop the feed."""
        if self.over:
            return
        self.over = True
        self._live.forget(self)
        if self._timer is not None:
            self._timer.cancel()
        members, self.members = list(self.members), {}
        for member in members:
            try:
                member.end(CLOSE_ENDED, reason)
            except Exception:
                log.debug("closing a share socket failed", exc_info=True)
        if self.task is not asyncio.current_task():
            self.task.cancel()

    def stop(self) -> None:
        """The last socket left: stop following (no close frames to send)."""
        self.over = True
        self._live.forget(self)
        if self._timer is not None:
            self._timer.cancel()
        self.task.cancel()

    async def _run(self) -> None:
        restarted = False
        recheck_at = asyncio.get_running_loop().time() + _RECHECK_S
        while not self.over:
            feed = await self._live.events.live_feed(self.link.library_id)
            try:
                known = await self._live.scope_ids(self.link)
                if restarted:  # messages may have been missed: clients re-read the list
                    self.broadcast({"type": "resync"})
                while True:
                    try:
                        # asyncio.timeout, not wait_for: see photonix_rt/waiting.py
                        async with asyncio.timeout(_RECHECK_S):
                            first = await feed.__anext__()
                    except TimeoutError:
                        first = None
                    now = asyncio.get_running_loop().time()
                    if now >= recheck_at:
                        recheck_at = now + _RECHECK_S
                        if not await self._live.still_live(self.link.id):
                            self.end()
                            return
                    if first is None:
                        continue
                    batch = [first]
                    while feed.pending and len(batch) < _MAX_BATCH:
                        batch.append(await feed.__anext__())
                    await self._apply(batch, known)
            except StopAsyncIteration:
                return
            except Gap as error:
                log.info("share feed %s fell behind (%s); re-reading its scope",
                         self.link.id, error)
                restarted = True
            except asyncio.CancelledError:
                raise
            except Exception:  # a task boundary: try again shortly rather than die silently
                log.exception("share feed %s failed; restarting", self.link.id)
                restarted = True
                await asyncio.sleep(_RESUBSCRIBE_S)
            finally:
                await feed.aclose()

    async def _apply(self, batch: list[EventMessage], known: set[UUID]) -> None:
        ids: list[UUID] = []
        for message in batch:
            if message.kind.startswith(_PHOTO_KIND_PREFIX) and message.photo_id is not None:
                try:
                    pid = UUID(message.photo_id)
                except ValueError:
                    continue
                if pid not in ids:
                    ids.append(pid)
        if not ids:
            return
        rows = await self._live.in_scope(self.link, ids)
        now_in = {row.id for row in rows}
        added = [row for row in rows if row.id not in known]
        updated = [row for row in rows if row.id in known]
        removed = [pid for pid in ids if pid in known and pid not in now_in]
        if len(known) < _MAX_SCOPE:
            known.update(row.id for row in added)
        known.difference_update(removed)
        bodies: list[dict[str, Any]] = []
        if added:
            bodies.append({"type": "added", "photos": self._live.compact(added)})
        if updated:
            bodies.append({"type": "updated", "photos": self._live.compact(updated)})
        if removed:
            bodies.append({"type": "removed", "ids": [str(pid) for pid in removed]})
        if bodies:
            self.broadcast(*bodies)


class ShareLive:
    """Per-process groups of share sockets, and link endings from every process."""

    def __init__(self, db: Database, bus: Bus | None, events: EventService) -> None:
        self._db = db
        self._bus = bus
        self.events = events
        self._groups: dict[UUID, _Group] = {}
        self._topic: str | None = None
        self._task: asyncio.Task[None] | None = None

    # ---- scope reads (for the groups) ------------------------------------------------------

    async def scope_ids(self, link: store.ShareLinkRow) -> set[UUID]:
        return await store.scope_ids(self._db, link.library_id,
                                     scope_filter(link), _MAX_SCOPE)

    async def in_scope(self, link: store.ShareLinkRow, ids: list[UUID]) -> list[Any]:
        return await store.in_scope(self._db, link.library_id,
                                    scope_filter(link), ids)

    def compact(self, rows: list[Any]) -> dict[str, list[Any]]:
        return compact(rows)

    async def still_live(self, link_id: UUID) -> bool:
        link = await store.share_link_by_id(self._db, link_id)
        if link is None:
            return False
        try:
            ShareService.check_live(link)
        except ShareEnded:
            return False
        return True

    # ---- sockets ---------------------------------------------------------------------------

    def join(self, link: store.ShareLinkRow, member: LiveMember) -> None:
        group = self._groups.get(link.id)
        if group is None or group.over:
            group = self._groups[link.id] = _Group(self, link)
        group.members[member] = None

    def leave(self, link_id: UUID, member: LiveMember) -> None:
        group = self._groups.get(link_id)
        if group is None or group.members.pop(member, False) is False:
            return
        if not group.members:
            group.stop()

    def forget(self, group: _Group) -> None:
        if self._groups.get(group.link.id) is group:
            del self._groups[group.link.id]

    def socket_count(self, link_id: UUID) -> int:
        group = self._groups.get(link_id)
        return len(group.members) if group is not None else 0

    # ---- endings ---------------------------------------------------------------------------

    async def ended(self, link_id: UUID) -> None:
        """The link was revoked (call after the commit): close its sockets everywhere."""
        self._end_local(link_id)
        if self._bus is None:
            return
        message = EventMessage(sequence=0, kind=ENDED, library_id=None, photo_id=None,
                               payload={"share": str(link_id)})
        try:
            await self._bus.publish(await self._ended_topic(), message)
        except Exception:  # a boundary: other processes notice within _RECHECK_S
            log.warning("could not publish the end of share link %s", link_id, exc_info=True)

    def _end_local(self, link_id: UUID) -> None:
        group = self._groups.get(link_id)
        if group is not None:
            group.end()

    async def _ended_topic(self) -> str:
        if self._topic is None:
            self._topic = "shares." + str(await events_store.channel_id(self._db))
        return self._topic

    async def start(self) -> None:
        if self._bus is None or self._task is not None:
            return
        topic = await self._ended_topic()
        first: Subscription | None = None
        try:
            first = await self._bus.subscribe([topic])
        except Gap as error:
            log.warning("share endings not subscribed yet (%s); retrying", error)
        self._task = asyncio.create_task(self._listen(first), name="share-endings")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for group in list(self._groups.values()):
            group.stop()

    async def _listen(self, sub: Subscription | None) -> None:
        assert self._bus is not None
        topic = await self._ended_topic()
        while True:
            try:
                if sub is None:
                    sub = await self._bus.subscribe([topic])
                async for message in sub:
                    if message.kind == ENDED:
                        try:
                            self._end_local(UUID(str(message.payload.get("share"))))
                        except ValueError:
                            log.warning("malformed share message: %s", message.payload)
                return
            except BusClosed:
                return
            except Gap as error:
                log.info("share endings interrupted (%s); resubscribing", error)
            finally:
                if sub is not None:
                    await sub.aclose()
                    sub = None
            await asyncio.sleep(_RESUBSCRIBE_S)

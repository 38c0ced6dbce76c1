"""Shared live subscriptions: one source stream and one execution per event for many sockets.

A thousand sockets of one viewer running the same subscription with the same variables see
the same events and the same results. Rather than a stream, a task and an execution per
socket, ``SharedStreams.join`` puts each such operation in a group that owns one source
stream; the group executes each event once and writes the same frame bytes to every
member's socket in one loop::

    member = streams.join(key, open_source, execute, op_id, start, on_next)
    try:
        errors = await member.done   # None: the stream ended; a list: the errors to send
    finally:
        streams.leave(key, member)

Only live operations share (no ``since``: a replay is per socket). A member joining a
running group gets the events after ``start`` (the process's event head when it joined),
exactly what a stream of its own would have given it. Keyed by the viewer, so nothing
computed for one user is ever sent to another.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from photonix_rt.http.wire import next_message, text_frame

__all__ = ["Member", "ResultCache", "SharedStreams"]

log = logging.getLogger(__name__)

# The source: an async iterator of events, or the errors that prevented it.
OpenSource = Callable[[], Awaitable["AsyncIterator[Any] | list[dict[str, Any]]"]]
Execute = Callable[[Any], Awaitable[str]]  # event -> the ``next`` payload's JSON
OnNext = Callable[[bytes, Any], None]       # (frame bytes, event) -> queued on the socket


@dataclass(eq=False)
class Member:
    """One operation of one socket in a group."""

    op_id: str
    start: int
    on_next: OnNext
    done: asyncio.Future[list[dict[str, Any]] | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


class _Group:
    def __init__(self, key: tuple[Any, ...], open_source: OpenSource, execute: Execute,
                 on_empty: Callable[[_Group], None]) -> None:
        self.key = key
        self.members: dict[Member, None] = {}  # insertion-ordered set
        self._open_source = open_source
        self._execute = execute
        self._on_empty = on_empty
        self.task = asyncio.create_task(self._run(), name="shared-subscription")

    async def _run(self) -> None:
        try:
            source = await self._open_source()
            if isinstance(source, list):
                self._finish(source)
                return
            try:
                async for event in source:
                    payload = await self._execute(event)
                    self._deliver(payload, event)
            finally:
                aclose = getattr(source, "aclose", None)
                if aclose is not None:
                    await aclose()
            self._finish(None)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a task boundary: each member's task reports it
            log.debug("shared subscription %r failed", self.key[1:], exc_info=True)
            self._finish(None, error)

    def _deliver(self, payload: str, event: Any) -> None:
        sequence = getattr(event, "sequence", None)
        frames: dict[str, bytes] = {}
        for member in list(self.members):
            if sequence is not None and sequence <= member.start:
                continue  # committed before this member joined: not its to see
            wire = frames.get(member.op_id)
            if wire is None:
                wire = frames[member.op_id] = text_frame(next_message(member.op_id, payload))
            member.on_next(wire, event)

    def _finish(self, errors: list[dict[str, Any]] | None,
                error: BaseException | None = None) -> None:
        self._on_empty(self)  # no new member may join a finished group
        for member in self.members:
            if not member.done.done():
                if error is not None:
                    member.done.set_exception(error)
                else:
                    member.done.set_result(errors)
        self.members.clear()


class SharedStreams:
    """Groups of identical live operations on one process (one per Tornado application)."""

    def __init__(self) -> None:
        self._groups: dict[tuple[Any, ...], _Group] = {}

    def join(self, key: tuple[Any, ...], open_source: OpenSource, execute: Execute,
             op_id: str, start: int, on_next: OnNext) -> Member:
        """Add an operation to the group for ``key``, starting one when there is none."""
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(key, open_source, execute, self._drop)
        member = Member(op_id, start, on_next)
        group.members[member] = None
        return member

    def leave(self, key: tuple[Any, ...], member: Member) -> None:
        """Remove an operation; the last one out stops the group's stream."""
        group = self._groups.get(key)
        if group is None or group.members.pop(member, False) is False:
            return
        if not group.members:
            self._drop(group)
            group.task.cancel()

    def _drop(self, group: _Group) -> None:
        if self._groups.get(group.key) is group:
            del self._groups[group.key]

    @property
    def group_count(self) -> int:
        return len(self._groups)


class ResultCache:
    """The ``next`` payload of one event for one query, variables and viewer, computed once.

    For operations that replay (``since``) and so do not share a stream: sockets of one user
    replaying the same subscription still see the same result for the same event. Keyed by
    the viewer as well, so nothing computed for one user is ever sent to another.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: dict[tuple[Any, ...], asyncio.Future[str]] = {}

    def get(self, key: tuple[Any, ...]) -> asyncio.Future[str] | None:
        return self._entries.get(key)

    def put(self, key: tuple[Any, ...], future: asyncio.Future[str]) -> None:
        if len(self._entries) >= self._size:
            for old in list(self._entries)[: self._size // 4]:  # oldest first (dict order)
                del self._entries[old]
        self._entries[key] = future

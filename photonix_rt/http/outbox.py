"""One socket's outgoing frames: written at once when the socket is idle, otherwise queued
(bounded) and written in batches by one writer task while the socket drains.

A frame pushed with a ``coalesce`` key replaces a frame with the same key that is still
waiting (only the latest progress matters). Pushing past ``limit`` waiting frames, or past
``max_bytes`` waiting bytes (a few huge frames fill memory as surely as many small ones),
calls ``on_overflow`` instead: a client that slow is disconnected and resumes from its
sequence.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import tornado.websocket
from tornado.iostream import StreamClosedError

from photonix_rt.http.wire import write_frame

if TYPE_CHECKING:
    from tornado.websocket import WebSocketHandler

__all__ = ["Outbox"]


class Outbox:
    """Frames waiting for one WebSocket; ``run()`` is its writer task."""

    def __init__(self, handler: WebSocketHandler, limit: int, batch: int,
                 on_overflow: Callable[[int], None], max_bytes: int = 8 * 1024 * 1024) -> None:
        self._handler = handler
        self._limit = limit
        self._max_bytes = max_bytes
        self._bytes = 0  # waiting in the queue, plus written but not yet flushed
        self._batch = batch
        self._on_overflow = on_overflow
        self._waiting: deque[list[Any]] = deque()  # [frame bytes or None if replaced, key]
        self._by_key: dict[Hashable, list[Any]] = {}
        self._wake = asyncio.Event()
        self._draining: asyncio.Future[None] | None = None  # the last write not yet flushed

    def push(self, frame: bytes, coalesce: Hashable | None = None) -> None:
        if coalesce is not None:
            replaced = self._by_key.get(coalesce)
            if replaced is not None and replaced[0] is not None:
                self._bytes -= len(replaced[0])
                replaced[0] = None
        entry = [frame, coalesce]
        if (len(self._waiting) >= self._limit
                or self._unflushed() + len(frame) > self._max_bytes):
            self._on_overflow(len(self._waiting))
            return
        if not self._waiting and (self._draining is None or self._draining.done()):
            # Nothing waiting: write now rather than waking the writer task.
            with contextlib.suppress(tornado.websocket.WebSocketClosedError):
                self._draining = write_frame(self._handler, frame)
            if coalesce is not None:
                self._by_key.pop(coalesce, None)
            return
        if coalesce is not None:
            self._by_key[coalesce] = entry
        self._waiting.append(entry)
        self._bytes += len(frame)
        self._wake.set()

    def _unflushed(self) -> int:
        """Bytes queued here plus bytes Tornado still holds for the socket."""
        # IOStream keeps what the socket has not taken in _write_buffer (not public API;
        # without it, only our own queue counts).
        stream = getattr(self._handler.ws_connection, "stream", None)
        pending = getattr(stream, "_write_buffer", None)
        return self._bytes + (len(pending) if pending is not None else 0)

    async def run(self) -> None:
        """Write what is queued, many frames per write, letting the socket drain between."""
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._waiting:
                    frames = []
                    for _ in range(min(self._batch, len(self._waiting))):
                        entry = self._waiting.popleft()
                        frame, key = entry
                        if frame is not None:
                            self._bytes -= len(frame)
                        if key is not None and self._by_key.get(key) is entry:
                            del self._by_key[key]
                        if frame is not None:
                            frames.append(frame)
                    if frames:
                        last = write_frame(self._handler, b"".join(frames))
                        self._draining = last
                        if last is not None:
                            await last
        except (tornado.websocket.WebSocketClosedError, StreamClosedError):
            return

"""A minimal batch loader: every ``load(key)`` issued in one loop tick becomes one call.

graphql-core resolves list items concurrently, so a page of photos asking for their tags
turns into a single ``batch_fn(keys)`` call, i.e. one SQL statement (no N+1).

Usage::

    loader = loader_for(context, "photo_tags", lambda keys: store.tags_for_photos(db, keys))
    tags = await loader.load(photo_id)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from photonix_rt.graphql.context import Context

__all__ = ["BatchLoader", "loader_for"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    """Coalesce loads into one batch per tick and cache results for the request."""

    def __init__(self, batch_fn: Callable[[Sequence[K]], Awaitable[Sequence[V]]]) -> None:
        self._batch_fn = batch_fn
        self._cache: dict[K, asyncio.Future[V]] = {}
        self._queue: list[K] = []
        self._running: set[asyncio.Task[None]] = set()

    def load(self, key: K) -> asyncio.Future[V]:
        future = self._cache.get(key)
        if future is None:
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            self._cache[key] = future
            if not self._queue:
                loop.call_soon(self._schedule)
            self._queue.append(key)
        return future

    def load_ready(self, key: K) -> V | asyncio.Future[V]:
        """The value itself when it has already arrived, else the future to await.

        A resolver that returns a plain value costs graphql-core far less than one that
        returns an awaitable, which matters at a hundred photos a page."""
        future = self.load(key)
        if future.done() and future.exception() is None:
            return future.result()
        return future

    def _schedule(self) -> None:
        keys, self._queue = self._queue, []
        task = asyncio.ensure_future(self._dispatch(keys))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    def cancel(self) -> None:
        """Cancel the batches still loading (their request was abandoned)."""
        for task in list(self._running):
            task.cancel()

    async def _dispatch(self, keys: list[K]) -> None:
        try:
            values = await self._batch_fn(keys)
            if len(values) != len(keys):
                raise RuntimeError("batch function returned a different number of values")
        except Exception as error:  # noqa: BLE001 - delivered to every waiting resolver
            for key in keys:
                self._cache.pop(key).set_exception(error)
            return
        for key, value in zip(keys, values, strict=True):
            if not self._cache[key].done():
                self._cache[key].set_result(value)


def loader_for(context: Context, name: str,
               batch_fn: Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]) -> BatchLoader:
    """The request's loader called ``name``, created with ``batch_fn`` on first use."""
    loader = context.loaders.get(name)
    if loader is None:
        loader = context.loaders[name] = BatchLoader(batch_fn)
    return loader

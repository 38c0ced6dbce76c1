"""Async facade over the worker process pool: ``await pool.run(fn, *args)``.

CPU work (hashing, decoding, thumbnails) runs in spawned processes so the event loop never
blocks. A crashed worker (segfault, OOM) breaks a ``ProcessPoolExecutor``; the client then
replaces the pool and the caller's job fails with ``WorkerCrashed`` so it can be retried.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from workers.protocol import init_worker_process

__all__ = ["PoolClient", "WorkerCrashed"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class WorkerCrashed(RuntimeError):
    """The worker process running a job died; the pool has been replaced."""


class PoolClient:
    """Owns one spawn-context process pool and restarts it when a worker dies."""

    def __init__(self, size: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        self.size = max(1, size)
        self._initializer = initializer
        self._initargs = initargs
        self._executor: ProcessPoolExecutor | None = None

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: forking a process that holds an event loop, threads and
        # sockets is unsafe, and TensorFlow is not fork-safe.
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker_process,
            initargs=(os.getpid(), self._initializer, *self._initargs),
        )

    def start(self) -> None:
        if self._executor is None:
            self._executor = self._new_executor()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a top-level, picklable function in a worker process."""
        self.start()
        executor = self._executor
        assert executor is not None
        try:
            return await asyncio.wrap_future(executor.submit(fn, *args))
        except BrokenProcessPool as error:
            if self._executor is executor:
                log.error("a worker process died; replacing the pool")
                self._executor = self._new_executor()
                executor.shutdown(wait=False, cancel_futures=True)
            raise WorkerCrashed(str(error) or "worker process died") from error

    async def close(self, grace_s: float = 15.0) -> None:
        """Stop the pool: queued calls are cancelled, running ones get ``grace_s`` to finish.

        A worker stuck in a call (a long model run, a hung decoder) would otherwise hold
        ``shutdown(wait=True)`` -- and the server's exit -- forever; past the grace period its
        process is killed.
        """
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # Taken before shutdown, which forgets them; private, but the only handle on the
        # processes before Python 3.14's ProcessPoolExecutor.kill_workers().
        processes = list((getattr(executor, "_processes", None) or {}).values())
        stopping = asyncio.ensure_future(
            asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True))
        try:
            async with asyncio.timeout(grace_s):  # not wait_for: see photonix_rt/waiting.py
                await asyncio.shield(stopping)
        except TimeoutError:
            alive = [p for p in processes if p.is_alive()]
            log.warning("%d worker process(es) still busy after %.0f s; killing them",
                        len(alive), grace_s)
            for process in alive:
                process.kill()
            await stopping
